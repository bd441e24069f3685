import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { InventoryDataFile, InventoryProblem } from '../../evidence/inventory.js';
import type { TreeReader } from '../tree/index.js';
import { checkAgainstManifest, manifestHashing, openDataFile, unlistedProblems } from './data-file-source.js';
import { MAX_PROBLEMS_PER_FILE } from './data-file.js';
import { errorText } from './error-text.js';
import type { ManifestFile } from './manifest.js';
import { countParquetFile } from './parquet-rows.js';
import { DataFileRows, type InventoryTotals } from './tally.js';

/**
 * Reads one Parquet data file. Parquet keeps its schema and row-group index in a footer at the
 * end, so the file is first copied to a private temporary file (hashed on the way, MD5 and size
 * checked against the manifest) and then read a row group at a time from there: memory holds one
 * row group's columns, whatever the file's size.
 */
export async function readParquetDataFile(args: {
  tree: TreeReader;
  treePath: string;
  file: ManifestFile;
  bucket: string;
  totals: InventoryTotals;
}): Promise<{ record: InventoryDataFile; problems: InventoryProblem[] }> {
  const { tree, treePath, file, totals, bucket } = args;
  const opened = await openDataFile(tree, treePath, file);
  if ('unopened' in opened) return opened.unopened;
  const { record, source } = opened;
  const location = record.location;

  const dir = await mkdtemp(path.join(os.tmpdir(), 's3-evidence-parquet-'));
  try {
    const copy = path.join(dir, 'data.parquet');
    const hashing = manifestHashing();
    try {
      await pipeline(source, hashing.transform, createWriteStream(copy));
    } catch (err) {
      record.bytesCompressed = hashing.size;
      return { record, problems: [{ file: location, message: `could not read the Parquet file: ${errorText(err)}` }] };
    }
    const problems = checkAgainstManifest(record, file, hashing);
    // A file that is not the one the manifest lists is not read at all: its rows would not count.
    if (problems.length > 0) return { record, problems };

    const rows = new DataFileRows(location, totals, MAX_PROBLEMS_PER_FILE, bucket);
    const handle = await open(copy, 'r');
    try {
      const fileProblem = await countParquetFile(fileBuffer(handle, hashing.size), rows, () =>
        totals.unencrypted.needsFlush ? totals.unencrypted.flush() : undefined,
      );
      if (fileProblem !== undefined) rows.problem(undefined, fileProblem);
    } finally {
      await handle.close();
    }
    record.rows = rows.rows;
    problems.push(...rows.problems);
    problems.push(...unlistedProblems(location, rows.unlistedProblems));
    return { record, problems };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** hyparquet's view of a file: its length and byte ranges, read on demand. */
function fileBuffer(handle: FileHandle, byteLength: number) {
  return {
    byteLength,
    async slice(start: number, end = byteLength): Promise<ArrayBuffer> {
      const length = Math.max(0, Math.min(end, byteLength) - start);
      const out = new ArrayBuffer(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(new Uint8Array(out, done), 0, length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return out;
    },
  };
}
