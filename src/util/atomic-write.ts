import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

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
