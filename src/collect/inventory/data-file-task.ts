import type { InventoryDataFile, InventoryProblem } from '../../evidence/inventory.js';
import { localTree } from '../tree/local.js';
import type { ReadLimits } from '../../util/confined-read.js';
import { readDataFile } from './data-file.js';
import type { ManifestFile } from './manifest.js';
import { PartFile } from './part-file.js';
import { InventoryTotals, type ColumnLayout, type TotalsPart } from './tally.js';

/** One inventory data file to read in a worker thread: plain data, the tree named by its local root. */
export interface DataFileTask {
  kind: 'inventory-data-file';
  format: 'csv' | 'parquet';
  tree: { root: string; limits: ReadLimits };
  treePath: string;
  file: ManifestFile;
  layout: ColumnLayout;
  bucket: string;
  largestN: number;
  /** Where this file's unencrypted objects are written (CSV lines, no header). */
  partPath: string;
}

export interface DataFileTaskResult {
  record: InventoryDataFile;
  problems: InventoryProblem[];
  totals: TotalsPart;
  unencryptedRows: number;
}

/** Reads one data file into counts of its own; the collector adds them up in manifest order. */
export async function runDataFileTask(task: DataFileTask): Promise<DataFileTaskResult> {
  const tree = localTree(task.tree.root, task.tree.limits);
  const part = new PartFile(task.partPath);
  const totals = new InventoryTotals(part, task.largestN);
  const args = { tree, treePath: task.treePath, file: task.file, bucket: task.bucket, totals };
  try {
    // A worker reading CSV never loads the Parquet reader (hyparquet and its decompressors).
    const { record, problems } =
      task.format === 'parquet'
        ? await (await import('./parquet-data-file.js')).readParquetDataFile(args)
        : await readDataFile({ ...args, layout: task.layout });
    return { record, problems, totals: totals.part(), unencryptedRows: part.rows };
  } finally {
    await part.close();
  }
}
