import type { Stats } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { WHOLE_FILE_MAX_BYTES } from '../util/confined-read.js';

/**
 * Why `file` is not a file of its own folder (a symbolic link, a folder, a pipe); undefined when it
 * is. Throws what lstat throws (ENOENT when there is nothing).
 */
export async function notOwnFile(file: string): Promise<string | undefined> {
  return whyNotOwn(await lstat(file));
}

function whyNotOwn(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  return `it is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}`;
}

/**
 * One of a packet's own files (its manifest, signature, public key), read whole: a link is refused,
 * never followed to a file kept elsewhere, as the files the manifest lists are (links list nothing);
 * so is a file past the limit for files read whole (a 10,000-bucket manifest is some 23 MB): `verify`,
 * the trend and `portfolio` read it into memory, and one tenant's oversized file must not take the
 * process, and every other tenant's row, down with it.
 */
export async function readOwnFile(packetDir: string, name: string): Promise<Buffer> {
  const file = path.join(packetDir, name);
  const info = await lstat(file);
  const notOwn = whyNotOwn(info);
  if (notOwn) throw new Error(`${notOwn}; a packet's ${name} is a file of its own folder`);
  if (info.size > WHOLE_FILE_MAX_BYTES)
    throw new Error(`it is ${info.size} bytes, over the ${WHOLE_FILE_MAX_BYTES}-byte limit for a file read whole`);
  return readFile(file);
}
