/**
 * Every row behind the log sections, as CSV: each denied upload, each key-usage tally (key ×
 * principal × operation × day × bucket), each key-management event. The packet keeps only
 * summaries, so the rows are re-derived from the folder's evidence with the same pure functions
 * the analysis used. Cells are written by csv-export.ts, which neutralises formula starts.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { keyManagementCsvLines, deniedUploadsCsvLines, keyUsageCsvLines, writeLines } from './csv-lines.js';
import { mergeDeniedUploads } from '../../analyze/guardrails/merge-denied-uploads.js';
import { aliasTargets, summariseKeyUsage } from '../../analyze/guardrails/key-usage.js';
import type { Packet } from '../../model/packet.js';
import { loadEvidence } from '../../evidence/evidence-store.js';
import { loadLogEvidence } from '../../evidence/log-evidence.js';

export interface LogExportPaths {
  deniedUploads: string;
  keyUsage: string;
  keyEvents: string;
}

export const LOG_EXPORTS: LogExportPaths = {
  deniedUploads: 'exports/denied-uploads.csv',
  keyUsage: 'exports/key-usage.csv',
  keyEvents: 'exports/key-management-events.csv',
};

/** Writes `lines` to `outDir/rel` through a temporary file; resolves with the number of data rows. */
async function writeCsv(outDir: string, rel: string, lines: Iterable<string>): Promise<number> {
  const file = path.join(outDir, ...rel.split('/'));
  const tmp = `${file}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  const rows = await writeLines(lines, out);
  out.end();
  await once(out, 'finish');
  await rename(tmp, file);
  return rows;
}

/**
 * The three log exports, for the sections the packet has collected (none for a section that was
 * not). Throws when the evidence gives other totals than packet.json: the CSV would then not be
 * the detail of the page.
 */
export async function writeLogExports(packet: Packet, packetDir: string, outDir: string): Promise<string[]> {
  const denied = packet.sections.deniedUploads;
  const usage = packet.sections.keyUsage;
  if (denied.state !== 'collected' && usage.state !== 'collected') return [];
  const [ev, logs] = await Promise.all([loadEvidence(packetDir), loadLogEvidence(packetDir)]);
  const period = { startUtc: ev.period.startUtc, endUtc: ev.period.endUtc, timeZone: ev.period.timeZone };
  const written: string[] = [];

  if (denied.state === 'collected') {
    const { rows } = mergeDeniedUploads({ period, accessLogs: logs.accessLogs, cloudTrail: logs.cloudTrail, buckets: ev.buckets.map((b) => b.name) });
    if (rows.length !== denied.total) throw new Error(`denied-uploads export: evidence gives ${rows.length} rows, packet.json says ${denied.total}`);
    await writeCsv(outDir, LOG_EXPORTS.deniedUploads, deniedUploadsCsvLines(rows));
    written.push(LOG_EXPORTS.deniedUploads);
  }

  if (usage.state === 'collected') {
    const keyPrincipals = ev.tenant.keyPrincipals ?? { expected: [], perKey: {} };
    const { rows, managementEvents } = summariseKeyUsage({
      period,
      cloudTrail: logs.cloudTrail,
      expectedPrincipals: { tenant: keyPrincipals.expected, perKey: keyPrincipals.perKey },
      keys: packet.keys.filter((k) => k.arn && k.manager !== 'AWS').map((k) => k.arn!),
      aliases: aliasTargets(ev.accounts),
    });
    const calls = rows.reduce((n, r) => n + r.calls, 0);
    if (calls !== usage.totals.calls || managementEvents.length !== usage.totals.managementEvents) {
      throw new Error(
        `key-usage export: evidence gives ${calls} calls and ${managementEvents.length} management events, packet.json says ${usage.totals.calls} and ${usage.totals.managementEvents}`,
      );
    }
    await writeCsv(outDir, LOG_EXPORTS.keyUsage, keyUsageCsvLines(rows));
    await writeCsv(outDir, LOG_EXPORTS.keyEvents, keyManagementCsvLines(managementEvents));
    written.push(LOG_EXPORTS.keyUsage, LOG_EXPORTS.keyEvents);
  }
  return written;
}
