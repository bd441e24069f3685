import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Why `file` is not a file of its own folder (a symbolic link, a folder, a pipe); undefined when it
 * is. Throws what lstat throws (ENOENT when there is nothing).
 */
export async function notOwnFile(file: string): Promise<string | undefined> {
  const info = await lstat(file);
  if (info.isFile()) return undefined;
  return `it is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}`;
}

/**
 * One of a packet's own files (its manifest, signature, public key), read whole: a link is refused,
 * never followed to a file kept elsewhere, as the files the manifest lists are (links list nothing).
 */
export async function readOwnFile(packetDir: string, name: string): Promise<Buffer> {
  const file = path.join(packetDir, name);
  const notOwn = await notOwnFile(file);
  if (notOwn) throw new Error(`${notOwn}; a packet's ${name} is a file of its own folder`);
  return readFile(file);
}
