import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunkedText, writeTextAtomic } from '../../src/util/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Pieces counted as they are taken, so a test can see how far a consumer has read. */
function counted(n: number, piece: (i: number) => string): { pieces: Iterable<string>; taken: () => number } {
  let taken = 0;
  return {
    pieces: (function* () {
      for (let i = 0; i < n; i++) {
        taken++;
        yield piece(i);
      }
    })(),
    taken: () => taken,
  };
}

describe('chunkedText', () => {
  it('makes each chunk only when asked, from only the pieces it needs', () => {
    const source = counted(100_000, (i) => `${String(i).padStart(9, '0')}\n`);
    const chunks = chunkedText(source.pieces, 1000);
    const first = chunks.next();
    // 10 characters a piece: the first chunk of at least 1,000 characters took exactly 100 pieces of 100,000.
    expect(first.value).toHaveLength(1000);
    expect(source.taken()).toBe(100);
    chunks.next();
    expect(source.taken()).toBe(200);
  });

  it('keeps every piece, in order, and ends with what is left', () => {
    expect([...chunkedText(['ab', 'c', 'def', 'g'], 3)]).toEqual(['abc', 'def', 'g']);
    expect([...chunkedText([], 3)]).toEqual([]);
  });
});

describe('writeTextAtomic', () => {
  it('writes the joined pieces and returns their sha256 and size, leaving no temporary file', async () => {
    const pieces = Array.from({ length: 20_000 }, (_, i) => `línea ${i} – ü\n`);
    const text = pieces.join('');
    const file = path.join(dir, 'sub', 'out.jsonl');
    const hash = await writeTextAtomic(file, pieces);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(hash).toEqual({
      sha256: createHash('sha256').update(text).digest('hex'),
      size: Buffer.byteLength(text),
    });
    expect(readdirSync(path.join(dir, 'sub'))).toEqual(['out.jsonl']);
  });
});
