import { pipeline } from 'node:stream/promises';
import type { TransformOptions } from 'node:stream';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import type { InventoryDataFile, InventoryProblem } from '../../evidence/inventory.js';
import type { TreeReader } from '../tree/index.js';
import { checkAgainstManifest, manifestHashing, openDataFile, unlistedProblems } from './data-file-source.js';
import { errorText } from './error-text.js';
import { CsvScanError, InventoryCsvScanner } from './csv-scanner.js';
import type { ManifestFile } from './manifest.js';
import { CsvRows } from './csv-rows.js';
import { DataFileRows, type ColumnLayout, type InventoryTotals } from './tally.js';

export const MAX_PROBLEMS_PER_FILE = 20;
/**
 * Gunzip's output chunk, and how far it may inflate ahead of the scanner: one chunk, so that while
 * the scanner works on one chunk gunzip inflates the next on the libuv pool. zlib's default (16 KiB
 * ahead, less than one chunk) makes every chunk wait until the scanner has taken the one before.
 * Measured on bench/inventory.ts's 5 M rows (2 cores, three interleaved rounds, medians): 512 KiB
 * one ahead against 256 KiB four ahead, two workers 3.91-3.98 s against 4.29-4.46 s, one worker the
 * same or up to 5 % faster, the whole `run` about 4 % faster, its peak RSS 4-5 MB higher; 1 MiB
 * chunks were faster again but raised two workers' peak by some 40 MB; 128 KiB were slower.
 */
const GUNZIP_CHUNK = 512 * 1024;
const GUNZIP_AHEAD = GUNZIP_CHUNK;
// zlib's streams take a Transform's options; its typings list only zlib's own.
const GUNZIP_OPTIONS: ZlibOptions & Pick<TransformOptions, 'readableHighWaterMark'> = {
  chunkSize: GUNZIP_CHUNK,
  readableHighWaterMark: GUNZIP_AHEAD,
};

/**
 * Reads one gzipped CSV data file in a single pass: the compressed bytes are hashed (MD5, checked
 * against the manifest) on their way into gunzip, which runs on the libuv pool while the scanner
 * works on the chunks it inflated before.
 *
 * The MD5 is ~0.66 s of the 5 M-row bench's 4.3-4.9 s on one worker, on the worker's own thread.
 * Measured (2 cores, interleaved): the main thread reading each file and hashing it, its chunks
 * transferred to the worker through a MessagePort, gave one worker 4.35-4.88 s against 4.57-5.05 s,
 * two workers the same (4.36-4.57 against 4.32-4.54 s), and each 12-17 MB more peak RSS; with both
 * cores busy the hash only moves which core it takes. Not adopted.
 */
export async function readDataFile(args: {
  tree: TreeReader;
  treePath: string;
  file: ManifestFile;
  layout: ColumnLayout;
  /** The bucket the report describes: rows naming another bucket are problems, not counts. */
  bucket: string;
  totals: InventoryTotals;
}): Promise<{ record: InventoryDataFile; problems: InventoryProblem[] }> {
  const { tree, treePath, file, layout, totals, bucket } = args;
  const opened = await openDataFile(tree, treePath, file);
  if ('unopened' in opened) return opened.unopened;
  const { record, source } = opened;
  const location = record.location;

  const hashing = manifestHashing();
  const rows = new DataFileRows(location, totals, MAX_PROBLEMS_PER_FILE, bucket);
  const scanner = new InventoryCsvScanner(layout.count, new CsvRows(layout, rows));
  const problems: InventoryProblem[] = [];
  let complete = false;
  let stoppedEarly = false;

  // pipeline() reports an error thrown by the last stage as an AbortError, so keep the original.
  let sinkError: unknown;
  try {
    await pipeline(source, hashing.transform, createGunzip(GUNZIP_OPTIONS), async (csv: AsyncIterable<Buffer>) => {
      try {
        for await (const chunk of csv) {
          scanner.push(chunk);
          if (rows.problemCount > MAX_PROBLEMS_PER_FILE) {
            stoppedEarly = true;
            throw new Error('too many problems');
          }
          if (totals.unencrypted.needsFlush) await totals.unencrypted.flush();
        }
        scanner.end();
      } catch (err) {
        sinkError = err;
        throw err;
      }
    });
    complete = true;
  } catch (caught) {
    const err = sinkError ?? caught;
    if (stoppedEarly) {
      // listed below; the rest of the file is not read
    } else if (err instanceof CsvScanError) {
      problems.push({ file: location, line: err.line, message: err.message });
    } else {
      problems.push({ file: location, message: `could not read the gzipped CSV: ${errorText(err)}` });
    }
  }

  record.rows = rows.rows;
  record.bytesCompressed = hashing.size;
  problems.unshift(...rows.problems);
  problems.push(...unlistedProblems(location, rows.unlistedProblems));
  if (complete) problems.push(...checkAgainstManifest(record, file, hashing));
  return { record, problems };
}
