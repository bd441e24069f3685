import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { InventoryDataFile, InventoryProblem } from '../../evidence/inventory.js';
import { isTreeNotFound, type TreeReader } from '../tree/tree.js';
import { errorText } from './error-text.js';
import type { ManifestFile } from './manifest.js';

type DataFileRead = { record: InventoryDataFile; problems: InventoryProblem[] };

/**
 * Opens a data file the manifest lists, whatever its format: the record it will be reported under,
 * and its byte stream, or the record with the reason it could not be opened.
 */
export async function openDataFile(
  tree: TreeReader,
  treePath: string,
  file: ManifestFile,
): Promise<{ record: InventoryDataFile; source: NodeJS.ReadableStream } | { unopened: DataFileRead }> {
  const record = dataFileRecord(tree, treePath, file);
  try {
    return { record, source: await tree.open(treePath) };
  } catch (err) {
    const message = isTreeNotFound(err) ? `data file listed in the manifest is missing (${err.code})` : errorText(err);
    return { unopened: { record, problems: [{ file: record.location, message }] } };
  }
}

/** The record a data file is reported under, before it is read. */
export function dataFileRecord(tree: TreeReader, treePath: string, file: ManifestFile): InventoryDataFile {
  return {
    key: file.key,
    location: tree.locate(treePath),
    expectedMd5: file.MD5checksum.toLowerCase(),
    rows: 0,
    bytesCompressed: 0,
  };
}

/** A pass-through that hashes (MD5) and counts the bytes of a data file as they go by. */
export function manifestHashing() {
  const md5 = createHash('md5');
  let size = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _enc, done) {
      md5.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return {
    transform,
    get size() {
      return size;
    },
    digest: () => md5.digest('hex'),
  };
}

/** Records what was read and names every way the file differs from what the manifest lists. */
export function checkAgainstManifest(
  record: InventoryDataFile,
  file: ManifestFile,
  hashing: { readonly size: number; digest(): string },
): InventoryProblem[] {
  record.bytesCompressed = hashing.size;
  record.actualMd5 = hashing.digest();
  const problems: InventoryProblem[] = [];
  if (record.actualMd5 !== record.expectedMd5) {
    problems.push({
      file: record.location,
      message: `MD5 of the file is ${record.actualMd5}, the manifest says ${record.expectedMd5}`,
    });
  }
  if (hashing.size !== file.size) {
    problems.push({ file: record.location, message: `file is ${hashing.size} bytes, the manifest says ${file.size}` });
  }
  return problems;
}

/** The line that says how many more problems a file had than are listed. */
export function unlistedProblems(location: string, count: number): InventoryProblem[] {
  return count > 0
    ? [{ file: location, message: `${count} more problem(s) not listed; the file was not read to the end` }]
    : [];
}
