import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TreeNotFoundError, localTree, type TreeReader } from '../../../src/collect/tree/index.js';
import { makeFifo } from '../../support/special-files.js';

let root: string;
let tree: TreeReader;

async function put(rel: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}

async function collect(it: AsyncIterable<{ path: string; size: number }>): Promise<{ path: string; size: number }[]> {
  const out = [];
  for await (const e of it) out.push(e);
  return out;
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let s = '';
  for await (const chunk of stream) s += chunk.toString();
  return s;
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tree-test-'));
  await put('b/c/2026-10-31T00-00Z/manifest.json', '{}');
  await put('b/c/data/x.csv.gz', '12345');
  await put('b/c/hive/dt=2026-10-31-00-00/symlink.txt', 'abc');
  await put('b/c-old/data/y.csv.gz', '1');
  await put('b/top.txt', 'xy');
  await put('other/z', '');
  tree = localTree(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('localTree', () => {
  it('describes itself by its absolute folder', () => {
    expect(localTree(path.relative(process.cwd(), root)).description).toBe(root);
  });

  it('lists immediate folders under a prefix, sorted, files left out', async () => {
    expect(await tree.listChildren('b/')).toEqual(['c', 'c-old']);
    expect(await tree.listChildren('b')).toEqual(['c', 'c-old']);
    expect(await tree.listChildren('')).toEqual(['b', 'other']);
    expect(await tree.listChildren('b/c/')).toEqual(['2026-10-31T00-00Z', 'data', 'hive']);
  });

  it('an absent folder has no children, as an empty S3 prefix', async () => {
    expect(await tree.listChildren('nope/')).toEqual([]);
  });

  it('a missing root is an error naming it', async () => {
    const gone = localTree(path.join(root, 'missing-root'));
    await expect(gone.listChildren('b/')).rejects.toThrow(`ENOENT: ${path.join(root, 'missing-root')} does not exist`);
  });

  it('lists recursively in S3 key order ("c-old/" before "c/" since "-" < "/")', async () => {
    expect(await collect(tree.list('b/'))).toEqual([
      { path: 'b/c-old/data/y.csv.gz', size: 1 },
      { path: 'b/c/2026-10-31T00-00Z/manifest.json', size: 2 },
      { path: 'b/c/data/x.csv.gz', size: 5 },
      { path: 'b/c/hive/dt=2026-10-31-00-00/symlink.txt', size: 3 },
      { path: 'b/top.txt', size: 2 },
    ]);
  });

  it('applies a prefix that ends inside a name, as S3 does', async () => {
    expect((await collect(tree.list('b/c/d'))).map((e) => e.path)).toEqual(['b/c/data/x.csv.gz']);
    expect((await collect(tree.list('b/c-'))).map((e) => e.path)).toEqual(['b/c-old/data/y.csv.gz']);
  });

  it('opens a file as a stream and locates it absolutely', async () => {
    expect(await text(await tree.open('b/c/data/x.csv.gz'))).toBe('12345');
    expect(tree.locate('b/c/data/x.csv.gz')).toBe(path.join(root, 'b', 'c', 'data', 'x.csv.gz'));
  });

  it('a missing file rejects with ENOENT and its location', async () => {
    const err = await tree.open('b/c/data/missing.csv.gz').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TreeNotFoundError);
    expect((err as TreeNotFoundError).code).toBe('ENOENT');
    expect((err as TreeNotFoundError).location).toBe(path.join(root, 'b/c/data/missing.csv.gz'));
    expect((err as Error).message).toBe(`ENOENT: ${path.join(root, 'b/c/data/missing.csv.gz')} does not exist`);
  });

  it('refuses paths that climb out of the tree', async () => {
    await expect(tree.open('b/../../etc/passwd')).rejects.toThrow('is not inside the tree');
    expect(() => tree.locate('../x')).toThrow('is not inside the tree');
  });

  it('lists a link out of the tree, a FIFO and a link loop as entries whose open is refused with the reason', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'tree-outside-'));
    try {
      await writeFile(path.join(outside, 'secret.csv.gz'), 'SECRET');
      await symlink(path.join(outside, 'secret.csv.gz'), path.join(root, 'b', 'c', 'data', 'out.csv.gz'));
      await symlink(outside, path.join(root, 'b', 'c', 'data', 'outdir'));
      await symlink(path.join(root, 'b', 'c'), path.join(root, 'b', 'c', 'data', 'loop'));
      makeFifo(path.join(root, 'b', 'c', 'data', 'pipe.csv.gz'));
      expect(await collect(tree.list('b/c/data/'))).toEqual([
        { path: 'b/c/data/loop', size: 0 },
        { path: 'b/c/data/out.csv.gz', size: 0 },
        { path: 'b/c/data/outdir', size: 0 },
        { path: 'b/c/data/pipe.csv.gz', size: 0 },
        { path: 'b/c/data/x.csv.gz', size: 5 },
      ]);
      await expect(tree.open('b/c/data/out.csv.gz')).rejects.toThrow(
        `${path.join(root, 'b/c/data/out.csv.gz')}: is a symbolic link that leads outside ${root}`,
      );
      await expect(tree.open('b/c/data/outdir')).rejects.toThrow('is a symbolic link that leads outside');
      await expect(tree.open('b/c/data/pipe.csv.gz')).rejects.toThrow('is a named pipe (FIFO), not a regular file');
      await expect(tree.open('b/c/data/loop')).rejects.toThrow('is a folder, not a regular file');
      // A folder reached through a link out of the tree is not listed from outside.
      await expect(tree.listChildren('b/c/data/outdir/')).rejects.toThrow('leads outside');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('follows a link that stays inside the tree', async () => {
    await symlink(path.join(root, 'b', 'top.txt'), path.join(root, 'other', 'link.txt'));
    expect(await text(await tree.open('other/link.txt'))).toBe('xy');
    expect(await collect(tree.list('other/'))).toEqual([
      { path: 'other/link.txt', size: 2 },
      { path: 'other/z', size: 0 },
    ]);
  });

  it('refuses a file over its size limit', async () => {
    await expect(localTree(root, { maxBytes: 4 }).open('b/c/data/x.csv.gz')).rejects.toThrow(
      'is 5 bytes, over the 4-byte limit',
    );
  });
});
