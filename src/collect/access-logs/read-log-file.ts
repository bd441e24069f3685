import { Readable, pipeline } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { TreeReader } from '../tree/tree.js';
import { LogTextDecoder } from './log-text.js';

const gunzipAsync = promisify(zlib.gunzip);

/** Log files at most this large are read whole (and gunzipped off the main thread); larger ones are streamed. */
export const WHOLE_FILE_LIMIT = 64 * 1024 * 1024;

function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The file's bytes, gunzipped when they start with the gzip magic number. Rejects on a truncated or corrupt gzip. */
export async function readWholeLogFile(tree: TreeReader, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await tree.open(path)) as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return isGzip(raw) ? gunzipAsync(raw, { chunkSize: outputChunkSize(raw) }) : raw;
}

const MIN_CHUNK = 64 * 1024;
const MAX_CHUNK = 32 * 1024 * 1024;

/**
 * A gzip member ends with its uncompressed size (mod 2^32): gunzipping into one chunk that size
 * spares copying the chunks into one buffer at the end. It is only a hint (a file of several
 * members, or a hostile one, may say anything), so it is bounded and a wrong one costs only copies.
 */
function outputChunkSize(gz: Buffer): number {
  const said = gz.length >= 18 ? gz.readUInt32LE(gz.length - 4) + 1 : MIN_CHUNK;
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, said));
}

/**
 * Bytes of decompressed text per chunk when a file is streamed: what one file holds while it is
 * read. Small chunks are garbage before the next young-generation collection; on the logs bench 64 KiB
 * took no more CPU than 256 KiB or 1 MiB and peaked lowest.
 */
const STREAM_CHUNK = 64 * 1024;

/**
 * The text of a (possibly gzipped) file, chunk by chunk: the same text logText gives for the whole
 * file, without holding it. Rejects on a truncated or corrupt gzip, as readWholeLogFile does.
 */
export async function* streamLogFileText(tree: TreeReader, path: string): AsyncGenerator<string> {
  const source = (await tree.open(path)) as AsyncIterable<Buffer | string>;
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = typeof first.value === 'string' ? Buffer.from(first.value) : first.value;
  async function* all(): AsyncGenerator<Buffer> {
    try {
      yield head;
      for (let r = await it.next(); !r.done; r = await it.next())
        yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    } finally {
      // A reader that stops early (the stream destroyed) lets go of the file too.
      await it.return?.();
    }
  }
  const decoder = new LogTextDecoder();
  if (isGzip(head)) {
    const gunzip = zlib.createGunzip({ chunkSize: STREAM_CHUNK });
    pipeline(Readable.from(all()), gunzip, () => undefined);
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield decoder.write(chunk);
  } else {
    for await (const chunk of all()) yield decoder.write(chunk);
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

/**
 * Runs `work` over `items` in order while up to `ahead` later items are already loading: reading
 * and gunzipping the next files overlaps with parsing the current one.
 */
export async function forEachPrefetched<T, L>(
  items: readonly T[],
  ahead: number,
  load: (item: T) => Promise<L>,
  work: (item: T, loaded: PromiseSettledResult<L>) => void | Promise<void>,
): Promise<void> {
  const pending: Array<Promise<PromiseSettledResult<L>>> = [];
  const settle = (item: T) =>
    load(item).then(
      (value): PromiseSettledResult<L> => ({ status: 'fulfilled', value }),
      (reason: unknown): PromiseSettledResult<L> => ({ status: 'rejected', reason }),
    );
  let next = 0;
  while (next < items.length && pending.length <= ahead) pending.push(settle(items[next++]!));
  for (let i = 0; i < items.length; i++) {
    const loaded = await pending.shift()!;
    if (next < items.length) pending.push(settle(items[next++]!));
    await work(items[i]!, loaded);
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error)
    return (error as NodeJS.ErrnoException).code
      ? `${(error as NodeJS.ErrnoException).code}: ${error.message}`
      : error.message;
  return String(error);
}
