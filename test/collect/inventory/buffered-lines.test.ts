import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartFile } from '../../../src/collect/inventory/part-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'buffered-lines-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('unencrypted rows written in batches', () => {
  it('writes every row once, in the order added, across batches and flushes', async () => {
    const part = new PartFile(path.join(dir, 'part.csv'));
    const expected: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      // Every 97th key needs quoting; every 10th row has a version and is not the latest.
      const key = i % 97 === 0 ? `k "${i}",x` : `k/${i}`;
      const cell = i % 97 === 0 ? `"k ""${i}"",x"` : key;
      part.add({
        bucket: 'b',
        key,
        ...(i % 10 === 0 ? { versionId: `v${i}`, isLatest: false } : {}),
        size: i,
        encryptionStatus: 'NOT-SSE',
      });
      expected.push(i % 10 === 0 ? `b,${cell},v${i},false,${i},,,NOT-SSE\r\n` : `b,${cell},,,${i},,,NOT-SSE\r\n`);
      // A flush in the middle of a batch writes the rows added so far, before those after it.
      if (i === 300) await part.flush();
    }
    await part.close();
    expect(part.rows).toBe(1_000);
    expect(await readFile(path.join(dir, 'part.csv'), 'utf8')).toBe(expected.join(''));
  });

  it('writes nothing for no rows', async () => {
    const part = new PartFile(path.join(dir, 'empty.csv'));
    await part.close();
    expect(part.rows).toBe(0);
    expect(await readFile(path.join(dir, 'empty.csv'), 'utf8')).toBe('');
  });
});
