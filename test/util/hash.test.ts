import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashTree, sha256File, type HashedFile } from '../../src/util/hash.js';

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
