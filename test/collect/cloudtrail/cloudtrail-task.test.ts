import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanCloudTrail } from '../../../src/collect/cloudtrail/scan-cloudtrail.js';
import { localTree } from '../../../src/collect/tree/local.js';
import { createScanPool, type ScanPool } from '../../../src/collect/workers/pool.js';
import { periodFor } from '../../../src/config/period.js';
import { bundledScanWorker } from '../../support/scan-worker-bundle.js';

const FIXTURE = path.resolve(
  __dirname,
  '../../fixtures/cloudtrail/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10/05/111122223333_CloudTrail_eu-west-1_20261005T0920Z_Qm9vZ2xlMTIzNDU2.json',
);
const period = periodFor('2026-10', 'Europe/Berlin');
const DAY = 'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10/05';

let one: ScanPool;
let two: ScanPool;
let root: string;
/** Events (by id) the scans should note as seen: LookupEvents' copies of KMS events. */
let watched: string[];
beforeAll(async () => {
  one = createScanPool(1, await bundledScanWorker());
  two = createScanPool(2, await bundledScanWorker());
  root = await mkdtemp(path.join(os.tmpdir(), 'cloudtrail-workers-'));
  const records = (JSON.parse(await readFile(FIXTURE, 'utf8')) as { Records: Array<Record<string, unknown>> }).Records;
  await mkdir(path.join(root, DAY), { recursive: true });
  // 40 files of the fixture's records: odd files give their events ids of their own, even files
  // repeat the same ids (the same events delivered again, which count once however the files are
  // batched); each file has a record that is not an object.
  for (let f = 0; f < 40; f++) {
    const body = records.map((r) =>
      f % 2 === 1 && typeof r.eventID === 'string' ? { ...r, eventID: `${r.eventID}-${f}` } : r,
    );
    const text = JSON.stringify({ Records: [...body.slice(f % body.length), null, ...body.slice(0, f % body.length)] });
    const name = `111122223333_CloudTrail_eu-west-1_20261005T${String(f).padStart(4, '0')}Z_${String(f).padStart(8, '0')}.json`;
    await writeFile(path.join(root, DAY, f % 3 === 0 ? `${name}.gz` : name), f % 3 === 0 ? gzipSync(text) : text);
  }
  await writeFile(path.join(root, DAY, '111122223333_CloudTrail_eu-west-1_20261005T2300Z_BROKEN.json.gz'), 'not gzip');
  await writeFile(path.join(root, DAY, '111122223333_CloudTrail_eu-west-1_20261005T2301Z_NORECORDS.json'), '{}');
  watched = records
    .filter((r) => r.eventSource === 'kms.amazonaws.com' && typeof r.eventID === 'string')
    .map((r) => `${r.eventID as string}-7`);
}, 60_000);
afterAll(async () => {
  await Promise.all([one.close(), two.close()]);
  await rm(root, { recursive: true, force: true });
});

describe('CloudTrail files read in worker threads', () => {
  it('give exactly the scan of one thread, with one worker or two: counts, each event once, KMS tallies, problems in file order', async () => {
    const scanWith = async (workers: ScanPool | 'in-process') => {
      const watch = { eventIds: new Set(watched), seen: new Set<string>() };
      const scan = await scanCloudTrail(localTree(root), {
        period,
        workers,
        workersFromBytes: 0,
        workerBatchBytes: 4000,
        watchKmsEventIds: watch,
      });
      return { scan, seen: [...watch.seen].sort() };
    };
    const inProcess = await scanWith('in-process');
    const oneWorker = await scanWith(one);
    const twoWorkers = await scanWith(two);
    expect(oneWorker).toEqual(inProcess);
    expect(twoWorkers).toEqual(inProcess);

    const scan = twoWorkers.scan;
    expect(scan.filesRead).toBe(40);
    expect(scan.recordsRead).toBe(40 * 16);
    // the fixture's own record that is not an object, and the one added to each file
    expect(scan.skipped.count).toBe(80);
    expect(scan.skipped.samples[0]!.message).toBe('record is not an object');
    expect(scan.problems.map((p) => p.file.slice(DAY.length + 1))).toEqual([
      '111122223333_CloudTrail_eu-west-1_20261005T2300Z_BROKEN.json.gz',
      '111122223333_CloudTrail_eu-west-1_20261005T2301Z_NORECORDS.json',
    ]);
    // The even files repeat one set of events: 20 odd files' copies and one even copy of each.
    const denied = scan.denied.length;
    expect(denied % 21).toBe(0);
    expect(denied).toBeGreaterThan(0);
    expect(new Set(scan.denied.map((d) => d.eventId)).size).toBe(denied);
    // 7 KMS usage and management events a file (DescribeKey is neither), 21 distinct copies of each
    expect(scan.kmsEvents).toBe(7 * 21);
    expect(twoWorkers.seen).toEqual(
      watched.filter((id) => !id.startsWith('e0000002-0000-4000-8000-000000000008')).sort(),
    );
  });
});

describe('a month with more denied uploads than the limit', () => {
  it('itemises the events of the first records in file order and counts every record after them, copies too, the same in workers and in one thread', async () => {
    const scanWith = (workers: ScanPool | 'in-process') =>
      scanCloudTrail(localTree(root), { period, workers, workersFromBytes: 0, workerBatchBytes: 4000, maxDenied: 10 });
    const inProcess = await scanWith('in-process');
    expect(await scanWith(one)).toEqual(inProcess);
    expect(await scanWith(two)).toEqual(inProcess);
    // Each file holds the fixture's 4 refused upload records (ids ...01, 02, 03, 05); the odd files
    // give them ids of their own, the even ones repeat the first file's. The first 10 records are
    // file 0's 4, file 1's 4 and two of file 2's, which are copies of file 0's: 8 events.
    const ids = ['01', '02', '03', '05'].map((n) => `e0000001-0000-4000-8000-0000000000${n}`);
    expect(inProcess.denied.map((d) => d.eventId).sort()).toEqual([...ids, ...ids.map((id) => `${id}-1`)].sort());
    expect(inProcess.deniedPastLimit).toEqual({ limit: 10, count: 40 * 4 - 10 });
  });
});
