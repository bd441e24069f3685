import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Files whose open fails (by name), and every path opened, in order. */
const failing = new Set<string>();
const opened: string[] = [];

vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  return {
    ...real,
    open: vi.fn(async (file: string, ...rest: [string?]) => {
      opened.push(file);
      if (failing.has(path.basename(file)))
        throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
      return real.open(file, ...rest);
    }),
  };
});

const { hashTree } = await import('../../src/util/hash.js');

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 's3e-hash-fail-'));
  failing.clear();
  opened.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('hashTree of a tree with a file it cannot read', () => {
  it("rejects with that file's error, and stops reading the rest of the tree", async () => {
    mkdirSync(path.join(root, 'evidence'));
    for (let i = 0; i < 200; i++)
      writeFileSync(path.join(root, 'evidence', `f${String(i).padStart(3, '0')}.json`), `${i}`);
    failing.add('f005.json');
    await expect(hashTree(root, 'evidence')).rejects.toMatchObject({ code: 'EACCES' });
    // Time for whatever is still going after the rejection to go on.
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The failure is noticed while the first files are read: no reader takes a new file after it
    // (a queued task per file went on through all 200).
    expect(opened).toContain(path.join(root, 'evidence', 'f005.json'));
    expect(opened.length).toBeLessThan(100);
  });
});
