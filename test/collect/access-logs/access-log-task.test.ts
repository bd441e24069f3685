import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccessLogFiles, scanAccessLogs } from '../../../src/collect/access-logs/scan-access-logs.js';
import { localTree } from '../../../src/collect/tree/local.js';
import { createScanPool, type ScanPool } from '../../../src/collect/workers/pool.js';
import { periodFor } from '../../../src/config/period.js';
import { bundledScanWorker } from '../../support/scan-worker-bundle.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/access-logs/simple/logs');
const period = periodFor('2026-10', 'Europe/Berlin');

let pool: ScanPool;
let root: string;
beforeAll(async () => {
  pool = createScanPool(2, await bundledScanWorker());
  root = await mkdtemp(path.join(os.tmpdir(), 'access-log-workers-'));
  // 60 files (some gzipped, one undated, one garbled gzip) made of the fixture files' lines, a
  // garbled line in each: batches of files in two workers must add up to one thread's reading.
  const lines = (
    await Promise.all((await readdir(FIXTURES)).sort().map((f) => readFile(path.join(FIXTURES, f), 'utf8')))
  )
    .join('\n')
    .split('\n')
    .filter((l) => l.trim() !== '');
  await mkdir(path.join(root, 'logs'), { recursive: true });
  for (let f = 0; f < 60; f++) {
    const body = [...lines.slice(f % lines.length), `garbled line ${f}`, ...lines.slice(0, f % lines.length)];
    const name = `2026-10-${String(1 + (f % 28)).padStart(2, '0')}-10-00-00-${String(f).padStart(16, '0')}`;
    const text = `${body.join('\n')}\n`;
    await writeFile(path.join(root, 'logs', name), f % 3 === 0 ? gzipSync(text) : text);
  }
  await writeFile(path.join(root, 'logs', 'undated-file'), `${lines.join('\n')}\n`);
  await writeFile(
    path.join(root, 'logs', '2026-10-09-00-00-00-BROKENGZIP000000'),
    gzipSync('x'.repeat(5000)).subarray(0, 30),
  );
  // Whole lines come out of it before the fault: read in one go or streamed, it adds nothing.
  const many = Array.from({ length: 40 }, () => lines.join('\n')).join('\n');
  const cut = gzipSync(`${many}\n`);
  await writeFile(path.join(root, 'logs', '2026-10-10-00-00-00-CUTGZIP000000000'), cut.subarray(0, cut.length - 8));
}, 60_000);
afterAll(async () => {
  await pool.close();
  await rm(root, { recursive: true, force: true });
});

/** The tree's acme-data records scanned on this thread, and in two workers in batches of about 3,000 bytes. */
async function scanBothWays(options: { maxDenied?: number } = {}) {
  const common = { period, buckets: ['acme-data'], ...options };
  return {
    oneThread: await scanAccessLogs(localTree(root), { ...common, workers: 'in-process' }),
    workers: await scanAccessLogs(localTree(root), {
      ...common,
      workers: pool,
      workersFromBytes: 0,
      workerBatchBytes: 3000,
    }),
  };
}

describe('access logs read in worker threads', () => {
  it('give exactly the scan of one thread: counts, denied uploads, skipped lines and problems in reading order', async () => {
    const { oneThread, workers } = await scanBothWays();
    expect(workers).toEqual(oneThread);
    expect(workers.filesRead).toBe(61);
    expect(workers.denied.length).toBeGreaterThan(60);
    expect(workers.skipped.count).toBeGreaterThanOrEqual(61);
    expect(workers.skipped.samples).toHaveLength(50);
    expect(workers.problems.map((p) => p.file)).toEqual([
      'logs/2026-10-09-00-00-00-BROKENGZIP000000',
      'logs/2026-10-10-00-00-00-CUTGZIP000000000',
    ]);
    expect(workers.problems[1]!.message).toMatch(/^unreadable: .*unexpected end of file/);
    expect(Object.keys(workers.byBucketDay)).toEqual(['acme-data']);
  });
});

describe('a month with more denied uploads than the limit', () => {
  it('itemises the first ones in file order and counts the rest, the same in workers and in one thread', async () => {
    const all = await scanAccessLogs(localTree(root), { period, workers: 'in-process', buckets: ['acme-data'] });
    expect(all.deniedPastLimit).toBeUndefined();
    const limit = 25;
    // Files are read in name order, lines in file order: the first `limit` of those are itemised.
    const byFileOrder = [...all.denied].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    const expected = byFileOrder.slice(0, limit).map((d) => `${d.file}:${d.line}`);

    const { oneThread, workers } = await scanBothWays({ maxDenied: limit });
    expect(workers).toEqual(oneThread);
    expect(oneThread.denied.map((d) => `${d.file}:${d.line}`).sort()).toEqual([...expected].sort());
    expect(oneThread.deniedPastLimit).toEqual({ limit, count: all.denied.length - limit });
    // Everything else is counted as before.
    expect({ ...oneThread, denied: [], deniedPastLimit: undefined }).toEqual({
      ...all,
      denied: [],
      deniedPastLimit: undefined,
    });
  });
});

describe('a worker batch read after its scan holds the limit', () => {
  it('keeps none of its denied uploads and counts them all', async () => {
    const files = (await readdir(path.join(root, 'logs'))).sort().map((f) => ({ path: `logs/${f}`, size: 1 }));
    const options = { period, streamed: true, buckets: ['acme-data'], maxDenied: 1_000_000 };
    const kept = await readAccessLogFiles(localTree(root), files, options);
    const full = await readAccessLogFiles(localTree(root), files, { ...options, scanFull: () => true });
    expect(kept.denied.length).toBeGreaterThan(60);
    expect(full.denied).toEqual([]);
    expect(full.deniedPastLimit).toEqual({ limit: 1_000_000, count: kept.denied.length });
    expect({ ...full, deniedPastLimit: undefined }).toEqual({ ...kept, denied: [] });
  });
});
