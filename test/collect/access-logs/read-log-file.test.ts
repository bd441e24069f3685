import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWholeLogFile, streamLogFileText } from '../../../src/collect/access-logs/read-log-file.js';
import { localTree } from '../../../src/collect/tree/local.js';

let root: string;
/** 300,000 bytes of text that do not compress to nothing. */
const big = Array.from({ length: 10_000 }, (_, i) => `line ${String(i * 7919).padStart(24, '0')}\n`).join('');
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'read-log-file-'));
  await writeFile(path.join(root, 'one.gz'), gzipSync(big));
  // Two gzip members: the trailer at the end gives only the second one's size (4 bytes).
  await writeFile(path.join(root, 'two.gz'), Buffer.concat([gzipSync(big), gzipSync('tail')]));
  await writeFile(path.join(root, 'cut.gz'), gzipSync(big).subarray(0, 1000));
  await writeFile(path.join(root, 'plain.log'), 'not gzipped\n');
  // 600,000 bytes of non-ASCII text: gunzipped chunks end inside its 2- and 3-byte sequences.
  await writeFile(path.join(root, 'utf8.gz'), gzipSync('ä€'.repeat(120_000)));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readWholeLogFile', () => {
  it('gunzips a file whole, and every member of a file whose trailer gives only the last one size', async () => {
    expect(big).toHaveLength(300_000);
    const tree = localTree(root);
    expect((await readWholeLogFile(tree, 'one.gz')).toString()).toBe(big);
    const two = await readWholeLogFile(tree, 'two.gz');
    expect(two).toHaveLength(300_004);
    expect(two.toString()).toBe(`${big}tail`);
    expect((await readWholeLogFile(tree, 'plain.log')).toString()).toBe('not gzipped\n');
  });

  it('rejects a truncated gzip', async () => {
    await expect(readWholeLogFile(localTree(root), 'cut.gz')).rejects.toThrow(/unexpected end of file/);
  });
});

describe('streamLogFileText', () => {
  const streamed = async (file: string): Promise<string[]> => {
    const chunks: string[] = [];
    for await (const text of streamLogFileText(localTree(root), file)) chunks.push(text);
    return chunks;
  };

  it('gives the text of the whole file in chunks, multi-byte characters whole', async () => {
    const chunks = await streamed('utf8.gz');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe('ä€'.repeat(120_000));
    expect((await streamed('two.gz')).join('')).toBe(`${big}tail`);
    expect((await streamed('plain.log')).join('')).toBe('not gzipped\n');
  });

  it('rejects a truncated gzip as reading it whole does', async () => {
    await expect(streamed('cut.gz')).rejects.toThrow(/unexpected end of file/);
  });
});
