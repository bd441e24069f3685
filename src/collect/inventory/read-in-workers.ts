import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { InventoryDataFile, InventoryProblem } from '../../evidence/inventory.js';
import type { ScanPool } from '../workers/pool.js';
import type { DataFileTask, DataFileTaskResult } from './data-file-task.js';
import { errorText } from './error-text.js';
import type { ExportFile } from './export-file.js';
import type { ManifestFile } from './manifest.js';
import type { InventoryTotals } from './tally.js';

/**
 * Reads a report's data files in the pool's workers, all at once (the pool bounds how many run),
 * then takes their results in manifest order: records and problems listed, counts added and
 * unencrypted parts appended in that order, so the evidence is the same whichever file finished first.
 * Counts and parts are only taken when every file read cleanly.
 */
export async function readDataFilesInWorkers(args: {
  pool: ScanPool;
  exportFile: ExportFile;
  totals: InventoryTotals;
  files: { file: ManifestFile; treePath: string }[];
  task: Pick<DataFileTask, 'format' | 'tree' | 'layout' | 'bucket' | 'largestN'>;
}): Promise<{ records: InventoryDataFile[]; problems: InventoryProblem[] }> {
  const partsDir = await mkdtemp(path.join(os.tmpdir(), 's3-evidence-inventory-parts-'));
  try {
    const results = await Promise.all(
      args.files.map(({ file, treePath }, i) => {
        const task: DataFileTask = {
          kind: 'inventory-data-file',
          ...args.task,
          treePath,
          file,
          partPath: path.join(partsDir, `${i}.csv`),
        };
        const location = path.join(args.task.tree.root, ...treePath.split('/'));
        const kind = task.format === 'parquet' ? 'parquetInventory' : 'csvInventory';
        return args.pool.run<DataFileTaskResult>(task, kind).catch((err: unknown) => ({
          record: {
            key: file.key,
            location,
            expectedMd5: file.MD5checksum.toLowerCase(),
            rows: 0,
            bytesCompressed: 0,
          },
          problems: [{ file: location, message: `could not be read: ${errorText(err)}` }],
          failed: true as const,
        }));
      }),
    );
    const records = results.map((r) => r.record);
    const problems = results.flatMap((r) => r.problems);
    if (problems.length === 0) {
      for (const [i, r] of results.entries()) {
        if ('failed' in r) continue;
        args.totals.add(r.totals);
        await args.exportFile.appendPart(path.join(partsDir, `${i}.csv`), r.unencryptedRows);
      }
    }
    return { records, problems };
  } finally {
    await rm(partsDir, { recursive: true, force: true });
  }
}
