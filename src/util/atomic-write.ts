import { createHash } from 'node:crypto';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileHash } from './hash.js';

let counter = 0;

/**
 * Write to a temporary sibling, then rename: a reader never sees half a file. `dirReady`: the
 * caller has made the folder already (a writer of thousands of files makes each folder once).
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  dirReady?: Promise<unknown>,
): Promise<void> {
  await (dirReady ?? mkdir(path.dirname(file), { recursive: true }));
  const tmp = `${file}.tmp-${process.pid}-${counter++}`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/** JSON with a stable layout (2-space indent, trailing newline) so equal values give equal bytes. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Characters gathered before a write when text is written in pieces. */
const CHUNK_CHARS = 1 << 16;

/**
 * `pieces` joined into chunks of about `size` characters (a chunk ends at the first piece that
 * reaches it), each made only when asked for: a caller holds one chunk, never the whole text.
 */
export function* chunkedText(pieces: Iterable<string>, size = CHUNK_CHARS): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    parts.push(piece);
    length += piece.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (length > 0) yield parts.join('');
}

/**
 * The text of `pieces` written to `file` as writeFileAtomic does (temporary sibling, then rename),
 * chunk by chunk; returns its sha256 and size, so nobody need read it back.
 */
export async function writeTextAtomic(file: string, pieces: Iterable<string>): Promise<FileHash> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${counter++}`;
  const hash = createHash('sha256');
  let size = 0;
  const out = await open(tmp, 'w');
  try {
    for (const chunk of chunkedText(pieces)) {
      const bytes = Buffer.from(chunk, 'utf8');
      hash.update(bytes);
      size += bytes.length;
      await out.write(bytes);
    }
  } finally {
    await out.close();
  }
  await rename(tmp, file);
  return { sha256: hash.digest('hex'), size };
}
