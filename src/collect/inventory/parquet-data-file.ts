import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { InventoryDataFile, InventoryProblem } from '../../evidence/inventory.js';
import type { TreeReader } from '../tree/index.js';
import { isRefusedRead, openConfinedHandle } from '../../util/confined-read.js';
import {
  checkAgainstManifest,
  dataFileRecord,
  manifestHashing,
  openDataFile,
  unlistedProblems,
} from './data-file-source.js';
import { MAX_PROBLEMS_PER_FILE } from './data-file.js';
import { errorText } from './error-text.js';
import type { ManifestFile } from './manifest.js';
import { countParquetFile } from './parquet-rows.js';
import { DataFileRows, type InventoryTotals } from './tally.js';

type ParquetRead = { record: InventoryDataFile; problems: InventoryProblem[] };

/**
 * Reads one Parquet data file. Parquet keeps its schema and row-group index in a footer at the
 * end, so the file is read by byte ranges after it has been hashed whole (MD5 and size checked
 * against the manifest): a local tree's file where it is, an S3 object from a private temporary
 * copy made while it is hashed. Memory holds one row group's columns, whatever the file's size.
 */
export async function readParquetDataFile(args: {
  tree: TreeReader;
  treePath: string;
  file: ManifestFile;
  bucket: string;
  totals: InventoryTotals;
}): Promise<ParquetRead> {
  if (args.tree.local) return readInPlace({ ...args, local: args.tree.local });
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

    const handle = await open(copy, 'r');
    try {
      return await countRows(record, handle, hashing.size, bucket, totals);
    } finally {
      await handle.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A local tree's file, read where it is through one handle: hashed whole first, then read by
 * ranges. A file that changes size or time meanwhile is a problem, so its counts are not used.
 */
async function readInPlace(args: {
  tree: TreeReader;
  local: NonNullable<TreeReader['local']>;
  treePath: string;
  file: ManifestFile;
  bucket: string;
  totals: InventoryTotals;
}): Promise<ParquetRead> {
  const { tree, local, treePath, file, bucket, totals } = args;
  const record = dataFileRecord(tree, treePath, file);
  let opened: Awaited<ReturnType<typeof openConfinedHandle>>;
  try {
    opened = await openConfinedHandle(local.root, record.location, local.limits);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message =
      !isRefusedRead(err) && (code === 'ENOENT' || code === 'ENOTDIR')
        ? 'data file listed in the manifest is missing (ENOENT)'
        : errorText(err);
    return { record, problems: [{ file: record.location, message }] };
  }
  const { handle, info } = opened;
  try {
    let hashing: { size: number; digest(): string };
    try {
      hashing = await hashWhole(handle);
    } catch (err) {
      return {
        record,
        problems: [{ file: record.location, message: `could not read the Parquet file: ${errorText(err)}` }],
      };
    }
    const problems = checkAgainstManifest(record, file, hashing);
    if (problems.length > 0) return { record, problems };
    const read = await countRows(record, handle, hashing.size, bucket, totals);
    const after = await handle.stat();
    if (after.size !== hashing.size || after.mtimeMs !== info.mtimeMs) {
      read.problems.push({ file: record.location, message: 'the file changed while it was being read' });
    }
    return read;
  } finally {
    await handle.close();
  }
}

/** MD5 and size of a whole file, read through its handle in 1 MiB pieces. */
async function hashWhole(handle: FileHandle): Promise<{ size: number; digest(): string }> {
  const md5 = createHash('md5');
  const piece = Buffer.allocUnsafe(1 << 20);
  let size = 0;
  for (;;) {
    const { bytesRead } = await handle.read(piece, 0, piece.length, size);
    if (bytesRead === 0) break;
    md5.update(piece.subarray(0, bytesRead));
    size += bytesRead;
  }
  return { size, digest: () => md5.digest('hex') };
}

/** Counts the rows of a file whose bytes matched the manifest. */
async function countRows(
  record: InventoryDataFile,
  handle: FileHandle,
  size: number,
  bucket: string,
  totals: InventoryTotals,
): Promise<ParquetRead> {
  const rows = new DataFileRows(record.location, totals, MAX_PROBLEMS_PER_FILE, bucket);
  const fileProblem = await countParquetFile(fileBuffer(handle, size), rows, () =>
    totals.unencrypted.needsFlush ? totals.unencrypted.flush() : undefined,
  );
  if (fileProblem !== undefined) rows.problem(undefined, fileProblem);
  record.rows = rows.rows;
  return { record, problems: [...rows.problems, ...unlistedProblems(record.location, rows.unlistedProblems)] };
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
