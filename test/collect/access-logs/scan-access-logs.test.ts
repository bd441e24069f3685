import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { scanAccessLogs } from '../../../src/collect/access-logs/scan-access-logs.js';
import { localTree } from '../../../src/collect/tree/local.js';
import { periodFor } from '../../../src/config/period.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/access-logs');
const period = periodFor('2026-10', 'Europe/Berlin');

describe('scanAccessLogs: simple-prefix tree', async () => {
  const scan = await scanAccessLogs(localTree(path.join(FIXTURES, 'simple')), { period });

  it('skips the file dated August by its name, reads the others', () => {
    expect(period.startUtc).toBe('2026-09-30T22:00:00Z');
    expect(scan.filesListed).toBe(4);
    expect(scan.filesOutsidePeriod).toBe(1);
    expect(scan.filesWithoutDate).toBe(1);
    expect(scan.filesRead).toBe(3);
  });

  it('counts records by their own time: 21:59:59Z on 30 Sep is outside, 22:00:00Z is inside (1 Oct in Berlin)', () => {
    expect(scan.recordsRead).toBe(10);
    expect(scan.recordsInPeriod).toBe(9);
    expect(scan.byBucketDay).toEqual({
      'acme-archive': { '2026-10-01': 1 },
      'acme-data': { '2026-10-05': 4, '2026-10-06': 1, '2026-10-07': 3 },
    });
  });

  it('keeps uploads refused with 403 AccessDenied, not the GET or the copy source read', () => {
    expect(scan.denied.map((d) => [d.requestId, d.operation, d.bucket, d.key])).toEqual([
      ['DENY0005', 'REST.PUT.OBJECT', 'acme-archive', 'drop/upload.bin'],
      ['DENY0001', 'REST.PUT.OBJECT', 'acme-data', 'incoming/résumé.txt'],
      ['DENY0001', 'REST.PUT.OBJECT', 'acme-data', 'incoming/résumé.txt'],
      ['DENY0002', 'REST.PUT.OBJECT', 'acme-data', 'incoming/plain.txt'],
      ['DENY0003', 'REST.POST.UPLOADS', 'acme-data', 'big/archive.tar'],
      ['DENY0004', 'REST.PUT.OBJECT', 'acme-data', 'old/client.dat'],
    ]);
    const plain = scan.denied.find((d) => d.requestId === 'DENY0002')!;
    expect([plain.cipherSuite, plain.tlsVersion, plain.hasTlsFields, plain.userAgent]).toEqual([
      null,
      null,
      true,
      'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101',
    ]);
    const oldest = scan.denied.find((d) => d.requestId === 'DENY0004')!;
    expect([oldest.hasTlsFields, oldest.file, oldest.line]).toEqual([
      false,
      'logs/2026-10-05-10-15-22-1A2B3C4D5E6F7A8B',
      5,
    ]);
  });

  it('counts the malformed lines as skipped with file and line', () => {
    expect(scan.skipped).toEqual({
      count: 2,
      samples: [
        { file: 'logs/2026-10-05-10-15-22-1A2B3C4D5E6F7A8B', line: 8, message: 'unterminated quoted field 17' },
        { file: 'logs/stray-file', line: 1, message: '6 fields, a record has at least 17' },
      ],
    });
    expect(scan.problems).toEqual([]);
  });

  it('counts only the selected buckets when asked', async () => {
    const only = await scanAccessLogs(localTree(path.join(FIXTURES, 'simple')), {
      period,
      buckets: ['acme-archive'],
    });
    expect(only.recordsInPeriod).toBe(1);
    expect(only.denied.map((d) => d.requestId)).toEqual(['DENY0005']);
    expect(Object.keys(only.byBucketDay)).toEqual(['acme-archive']);
  });
});

describe('scanAccessLogs: date-partitioned tree', async () => {
  const scan = await scanAccessLogs(localTree(path.join(FIXTURES, 'partitioned')), { period });

  it('skips the December partition and treats the end of the period as exclusive', () => {
    expect([scan.filesListed, scan.filesOutsidePeriod, scan.filesRead]).toEqual([2, 1, 1]);
    expect(scan.recordsInPeriod).toBe(2);
    expect(scan.byBucketDay).toEqual({ 'acme-data': { '2026-10-31': 2 } });
    expect(scan.denied.map((d) => d.requestId)).toEqual(['DENY0006']);
  });
});

describe('scanAccessLogs: gzipped files', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('reads gzipped logs and names a truncated gzip as a problem without losing the other files', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'al-gz-'));
    dirs.push(dir);
    await mkdir(path.join(dir, 'logs'));
    const text = await readFile(path.join(FIXTURES, 'simple/logs/2026-10-05-10-15-22-1A2B3C4D5E6F7A8B'));
    const gz = gzipSync(text);
    await writeFile(path.join(dir, 'logs/2026-10-05-10-15-22-1A2B3C4D5E6F7A8B.gz'), gz);
    await writeFile(
      path.join(dir, 'logs/2026-10-06-10-15-22-FFFF0000FFFF0000.gz'),
      gz.subarray(0, Math.floor(gz.length / 2)),
    );
    const scan = await scanAccessLogs(localTree(dir), { period });
    expect(scan.filesRead).toBe(1);
    expect(scan.recordsInPeriod).toBe(8);
    expect(scan.denied).toHaveLength(5);
    expect(scan.problems).toHaveLength(1);
    expect(scan.problems[0]!.file).toBe('logs/2026-10-06-10-15-22-FFFF0000FFFF0000.gz');
    expect(scan.problems[0]!.message).toMatch(/^unreadable: .*unexpected end of file/);
  });
});
