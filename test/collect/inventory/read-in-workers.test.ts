import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectInventory } from '../../../src/collect/inventory/index.js';
import { reportWindow } from '../../../src/collect/inventory/report-window.js';
import { localTree } from '../../../src/collect/tree/index.js';
import { createScanPool, type ScanPool } from '../../../src/collect/workers/pool.js';
import { periodFor } from '../../../src/config/period.js';
import type { InventoryEvidence } from '../../../src/evidence/inventory.js';
import { PARQUET_FILE_SCHEMA, writeInventoryParquet, type ParquetInventoryRow } from '../../support/duckdb-parquet.js';
import { bundledScanWorker } from '../../support/scan-worker-bundle.js';
import { csvRow, writeReport } from './build-report.js';

const OCTOBER = reportWindow(periodFor('2026-10', 'UTC'), { maxDaysAfterPeriod: 7 });
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/inventory');
const SCHEMA = [
  'Bucket',
  'Key',
  'VersionId',
  'IsLatest',
  'IsDeleteMarker',
  'Size',
  'LastModifiedDate',
  'EncryptionStatus',
];
const STATUSES = ['SSE-S3', 'NOT-SSE', 'SSE-KMS', '', 'DSSE-KMS', 'SSE-C', 'NOT-SSE'];

let pool: ScanPool;
let work: string;
beforeAll(async () => {
  pool = createScanPool(2, await bundledScanWorker());
  work = await mkdtemp(path.join(os.tmpdir(), 'inventory-workers-'));
}, 60_000);
afterAll(async () => {
  await pool.close();
  await rm(work, { recursive: true, force: true });
});

async function both(root: string, bucket: string, largestN = 5) {
  const read = async (workers: ScanPool | 'in-process', out: string) => {
    const evidence = await collectInventory({
      trees: [localTree(root)],
      bucket,
      window: OCTOBER,
      unencryptedCsvPath: path.join(work, out, 'unencrypted.csv'),
      unencryptedCsvRelative: 'exports/unencrypted.csv',
      largestN,
      workers,
      workersFromBytes: 0,
    });
    const exported = await readFile(path.join(work, out, 'unencrypted.csv'), 'utf8').catch(() => undefined);
    return { evidence, exported };
  };
  const inProcess = await read('in-process', `${path.basename(root)}-main`);
  const workers = await read(pool, `${path.basename(root)}-workers`);
  return { inProcess, workers };
}

function expectOk(e: InventoryEvidence): asserts e is Extract<InventoryEvidence, { status: 'ok' }> {
  expect(e.status, JSON.stringify(e).slice(0, 2000)).toBe('ok');
}

describe('data files read in worker threads', () => {
  it('CSV: twelve files give exactly the evidence and export of one thread, in manifest order', async () => {
    const root = path.join(work, 'csv');
    const files = Array.from({ length: 12 }, (_, f) => {
      let csv = '';
      for (let i = 0; i < 400 + f * 37; i++) {
        const n = f * 10_000 + i;
        const marker = i % 50 === 7;
        csv += csvRow([
          'src-bucket',
          `f${f}/obj%20${n}`,
          `v${n}`,
          i % 3 ? 'true' : 'false',
          marker ? 'true' : 'false',
          marker ? '' : String((n * 7919) % 100_003),
          `2026-10-${String(1 + (n % 28)).padStart(2, '0')}T00:00:00.000Z`,
          marker ? '' : STATUSES[n % STATUSES.length]!,
        ]);
      }
      return { name: `part-${f}.csv.gz`, bytes: gzipSync(csv) };
    });
    await writeReport({ root, folder: '2026-11-01T00-00Z', schema: SCHEMA, files });
    const { inProcess, workers } = await both(root, 'src-bucket');
    expectOk(workers.evidence);
    expect(workers.evidence).toEqual(inProcess.evidence);
    expect(workers.exported).toBe(inProcess.exported);
    expect(workers.evidence.unencryptedExport.rows).toBeGreaterThan(1000);
    // The export lists part-0's objects first, part-11's last: manifest order, whoever finished first.
    const keys = workers
      .exported!.trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[1]!);
    expect(keys[0]!.startsWith('f0/')).toBe(true);
    expect(keys.at(-1)!.startsWith('f11/')).toBe(true);
  });

  it('Parquet: the same evidence from workers as from one thread', async () => {
    const root = path.join(work, 'parquet');
    const files = [];
    for (let f = 0; f < 4; f++) {
      const rows: ParquetInventoryRow[] = Array.from({ length: 300 }, (_, i) => ({
        bucket: 'src-bucket',
        key: `p${f}/k ${i}`,
        version_id: `v${i}`,
        is_latest: i % 2 === 0,
        is_delete_marker: i % 40 === 3,
        size: i % 40 === 3 ? null : i * 13 + f,
        last_modified_date: new Date(Date.UTC(2026, 9, 1 + (i % 28))).toISOString(),
        encryption_status: i % 40 === 3 ? null : STATUSES[i % STATUSES.length] || null,
      }));
      const file = path.join(work, `p${f}.parquet`);
      await writeInventoryParquet(file, rows, { compression: f % 2 ? 'zstd' : 'snappy' });
      files.push({ name: `p${f}.parquet`, bytes: await readFile(file) });
    }
    await writeReport({
      root,
      folder: '2026-11-01T00-00Z',
      fileFormat: 'Parquet',
      fileSchemaText: PARQUET_FILE_SCHEMA,
      files,
    });
    const { inProcess, workers } = await both(root, 'src-bucket');
    expectOk(workers.evidence);
    expect(workers.evidence).toEqual(inProcess.evidence);
    expect(workers.exported).toBe(inProcess.exported);
  });

  it('a bad file read in a worker makes the report unverified, as on one thread, and leaves no export', async () => {
    const root = path.join(work, 'bad');
    const good = gzipSync(csvRow(['src-bucket', 'a', '', 'true', 'false', '1', '2026-10-01T00:00:00.000Z', 'NOT-SSE']));
    await writeReport({
      root,
      folder: '2026-11-01T00-00Z',
      schema: SCHEMA,
      files: [
        { name: 'good.csv.gz', bytes: good },
        { name: 'cut.csv.gz', bytes: good.subarray(0, good.length - 6) },
        { name: 'md5.csv.gz', bytes: good, manifestMd5: createHash('md5').update('other').digest('hex') },
      ],
    });
    const { inProcess, workers } = await both(root, 'src-bucket');
    expect(workers.evidence.status).toBe('unverified');
    expect(workers.evidence).toEqual(inProcess.evidence);
    expect(workers.exported).toBeUndefined();
  });

  it('the fixture report, through workers, is unchanged', async () => {
    const { inProcess, workers } = await both(path.join(FIXTURES, 'basic'), 'example-source-bucket');
    expectOk(workers.evidence);
    expect(workers.evidence).toEqual(inProcess.evidence);
    expect(workers.exported).toBe(inProcess.exported);
  });
});
