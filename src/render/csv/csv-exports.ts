import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { UNENCRYPTED_CSV_HEADER, UNENCRYPTED_EXPORT } from '../../format/unencrypted-columns.js';
import type { Packet } from '../../model/packet.js';
import type { Renderer } from '../renderer.js';
import { csvLines, csvRecord, type CsvValue } from '../../format/csv.js';
import { complianceCsvRecords } from './compliance-csv.js';
import { writeLogExports } from './log-exports.js';
import { complianceCsvPath } from '../framework-rows.js';

/** Lines are gathered and written in pieces of about this many characters: one write per line costs more than the line. */
const WRITE_AT = 64 * 1024;

class CsvFile {
  private readonly tmp: string;
  private readonly out;
  private pending = '';
  constructor(private readonly file: string) {
    this.tmp = `${file}.tmp-${process.pid}`;
    this.out = createWriteStream(this.tmp);
  }
  async row(values: readonly CsvValue[]): Promise<void> {
    // Exports are opened in spreadsheets: formula starts neutralised as the workbook's cells are (OWASP).
    this.pending += csvRecord(values);
    if (this.pending.length >= WRITE_AT) await this.flush();
  }
  /** Many rows, written as `row` writes each. */
  async rows(rows: ReadonlyArray<readonly CsvValue[]>): Promise<void> {
    this.pending += csvLines(rows);
    if (this.pending.length >= WRITE_AT) await this.flush();
  }
  /** Records already written as `rows` would write them. */
  async bytes(data: Buffer): Promise<void> {
    await this.flush();
    if (!this.out.write(data)) await once(this.out, 'drain');
  }
  private async flush(): Promise<void> {
    const data = this.pending;
    this.pending = '';
    if (data !== '' && !this.out.write(data)) await once(this.out, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
    await rename(this.tmp, this.file);
  }
}

/**
 * exports/*.csv: the unencrypted objects of every bucket, the findings, the per-bucket table, one
 * compliance-<framework>.csv per framework, and (when collected) the denied uploads, key usage and
 * key-management events.
 */
export const csvRenderer: Renderer = {
  id: 'csv',
  async render(packet: Packet, ctx) {
    await mkdir(path.join(ctx.outDir, 'exports'), { recursive: true });
    const written: string[] = [];

    const unencrypted = new CsvFile(path.join(ctx.outDir, ...UNENCRYPTED_EXPORT.split('/')));
    await unencrypted.row([...UNENCRYPTED_CSV_HEADER]);
    for (const b of packet.buckets) {
      if (b.coverage.state !== 'measured' || b.coverage.unencryptedExport.rows === 0) continue;
      for await (const records of ctx.exports.unencryptedObjects(b.coverage.unencryptedExport.file)) {
        for (const segment of records.exportSegments()) {
          if (Buffer.isBuffer(segment)) {
            await unencrypted.bytes(segment);
            continue;
          }
          await unencrypted.rows(
            segment.map((r) => [
              r.bucket,
              r.key,
              r.versionId ?? '',
              r.isLatest === undefined ? '' : String(r.isLatest),
              r.size,
              r.lastModified ?? '',
              r.storageClass ?? '',
              r.encryptionStatus,
            ]),
          );
        }
      }
    }
    await unencrypted.close();
    written.push(UNENCRYPTED_EXPORT);

    const findings = new CsvFile(path.join(ctx.outDir, 'exports', 'findings.csv'));
    await findings.row(['id', 'severity', 'control', 'resource', 'text', 'evidence']);
    for (const f of packet.findings)
      await findings.row([f.id, f.severity, f.controlId, f.resource, f.text, f.evidence.join(' ')]);
    await findings.close();
    written.push('exports/findings.csv');

    const buckets = new CsvFile(path.join(ctx.outDir, 'exports', 'buckets.csv'));
    await buckets.row([
      'account',
      'region',
      'bucket',
      'default_encryption',
      'kms_key',
      'sse_enforcement',
      'tls_enforcement',
      'coverage_state',
      'objects',
      'unencrypted_objects',
      'bytes',
      'unencrypted_bytes',
    ]);
    for (const b of packet.buckets) {
      const enc = b.defaultEncryption;
      const mode =
        enc.state === 'enabled' ? enc.mode : enc.state === 'unreadable' ? `unreadable (${enc.errorCode})` : 'none';
      const key = enc.state === 'enabled' ? (enc.kmsKeyArn ?? enc.kmsKeyId ?? '') : '';
      const c = b.coverage;
      const m = c.state === 'measured' ? c : undefined;
      await buckets.row([
        b.account,
        b.region,
        b.name,
        mode,
        key,
        b.sseEnforcement.level,
        b.tlsEnforcement.level,
        c.state,
        m ? m.total.objects : '',
        m ? m.unencrypted.objects : '',
        m ? m.total.bytes : '',
        m ? m.unencrypted.bytes : '',
      ]);
    }
    await buckets.close();
    written.push('exports/buckets.csv');

    // One compliance export per framework the packet was made with (none for schema-1 packets).
    for (const fw of packet.frameworks ?? []) {
      const rel = complianceCsvPath(fw);
      const csv = new CsvFile(path.join(ctx.outDir, ...rel.split('/')));
      for (const record of complianceCsvRecords(packet, fw)) await csv.row(record);
      await csv.close();
      written.push(rel);
    }
    written.push(...(await writeLogExports(packet, ctx.exports, ctx.outDir)));
    return written;
  },
};
