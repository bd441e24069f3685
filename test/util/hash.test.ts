import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashTree, listFilesRecursive, sha256File, type HashedFile } from '../../src/util/hash.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 's3e-hash-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function put(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}
const hex = (text: string) => createHash('sha256').update(text).digest('hex');

describe('hashTree', () => {
  it('hashes every file in path order, taking a known file as given instead of reading it', async () => {
    for (let i = 0; i < 40; i++) put(`evidence/b${String(i).padStart(2, '0')}/x.json`, `{"i":${i}}`);
    put('evidence/a.json', 'a');
    // Known entries that do not match the files' bytes: only a file that was not read comes back with them.
    const known = new Map<string, HashedFile>();
    for (let i = 0; i < 40; i += 2) {
      const p = `evidence/b${String(i).padStart(2, '0')}/x.json`;
      known.set(p, { path: p, sha256: 'k'.repeat(64), size: 1000 + i });
    }
    const files = await hashTree(root, 'evidence', known);
    expect(files.map((f) => f.path)).toEqual([
      'evidence/a.json',
      ...Array.from({ length: 40 }, (_, i) => `evidence/b${String(i).padStart(2, '0')}/x.json`),
    ]);
    expect(files[0]).toEqual({ path: 'evidence/a.json', sha256: hex('a'), size: 1 });
    files.slice(1).forEach((f, i) => {
      if (i % 2 === 0) expect(f).toBe(known.get(f.path));
      else expect(f).toEqual({ path: f.path, sha256: hex(`{"i":${i}}`), size: `{"i":${i}}`.length });
    });
  });

  it('hashes a file of many reads, one read, or none as its whole bytes hash', async () => {
    const bytes = Buffer.alloc(3 * 65_536 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
    for (const size of [bytes.length, 65_536, 65_535, 1, 0]) {
      const file = path.join(root, `f-${size}`);
      writeFileSync(file, bytes.subarray(0, size));
      expect(await sha256File(file)).toEqual({
        sha256: createHash('sha256').update(bytes.subarray(0, size)).digest('hex'),
        size,
      });
    }
    await expect(sha256File(path.join(root, 'absent'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('gives an empty list for a folder that does not exist', async () => {
    expect(await hashTree(root, 'absent')).toEqual([]);
  });
});

describe('listFilesRecursive', () => {
  it('lists every regular file of a wide, deep tree once, sorted, relative to the base, following no link', async () => {
    // 60 folders of 3 levels (more than are listed at once), files at every level.
    const expected: string[] = [];
    for (let i = 0; i < 60; i++) {
      const a = `evidence/b-${i}`;
      for (const rel of [`${a}/x.json`, `${a}/deep/y.json`, `${a}/deep/er/z.json`]) {
        put(rel, rel);
        expected.push(rel);
      }
    }
    put('top.json', '{}');
    expected.push('top.json');
    mkdirSync(path.join(root, 'evidence', 'empty'));
    // Links, to a folder and to a file, inside and outside the tree: none is listed or walked into.
    const outside = mkdtempSync(path.join(os.tmpdir(), 's3e-hash-outside-'));
    try {
      writeFileSync(path.join(outside, 'secret.txt'), 'x');
      symlinkSync(outside, path.join(root, 'evidence', 'link-out'));
      symlinkSync(path.join(root, 'evidence', 'b-1'), path.join(root, 'evidence', 'link-in'));
      symlinkSync(path.join(root, 'top.json'), path.join(root, 'evidence', 'link-file.json'));
      // Plain string order (UTF-16 code units): 'b-10' before 'b-2', upper case before lower.
      expected.sort();
      expect(await listFilesRecursive(root)).toEqual(expected);
      expect(expected.indexOf('evidence/b-10/deep/er/z.json')).toBeLessThan(expected.indexOf('evidence/b-2/x.json'));
      // Under a subfolder, still relative to the base.
      expect(await listFilesRecursive(path.join(root, 'evidence', 'b-7'), root)).toEqual([
        'evidence/b-7/deep/er/z.json',
        'evidence/b-7/deep/y.json',
        'evidence/b-7/x.json',
      ]);
      expect(await listFilesRecursive(path.join(root, 'absent'))).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('fails on a folder it cannot list rather than leaving it out', async () => {
    put('evidence/a.json', 'a');
    await expect(listFilesRecursive(path.join(root, 'evidence', 'a.json'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
