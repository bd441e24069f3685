import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';

const HASHES_AT_ONCE = 16;

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Every file under `dir`, as paths relative to `base` with forward slashes, sorted. */
export async function listFilesRecursive(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    // Not push(...list): a folder of 100,000+ files (10,000 buckets' evidence) overflows the call stack.
    if (e.isDirectory()) for (const f of await listFilesRecursive(full, base)) out.push(f);
    else if (e.isFile()) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

export interface FileHash {
  sha256: string;
  size: number;
}

/**
 * sha256 and size of every file under `root/sub`, listed in path order. `known`: hashes of files this
 * process wrote itself (by path relative to `root`), taken as they are instead of reading the file back.
 */
export async function hashTree(
  root: string,
  sub: string,
  known?: ReadonlyMap<string, FileHash>,
): Promise<Array<{ path: string } & FileHash>> {
  const files = await listFilesRecursive(path.join(root, sub), root);
  // Many small files: hashed HASHES_AT_ONCE at a time, listed in path order.
  const limit = pLimit(HASHES_AT_ONCE);
  return Promise.all(
    files.map((f) => {
      const hash = known?.get(f);
      return hash
        ? Promise.resolve({ path: f, ...hash })
        : limit(async () => ({ path: f, ...(await sha256File(path.join(root, f))) }));
    }),
  );
}
