import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import type { TreeReader } from '../../src/collect/tree/index.js';
import { countingTree } from '../../src/pipeline/progress.js';

function fakeTree(files: Record<string, string[] | Error>): TreeReader {
  return {
    description: 'fake',
    listChildren: () => Promise.resolve([]),
    async *list() {},
    locate: (p) => `fake/${p}`,
    open(p) {
      const f = files[p]!;
      if (f instanceof Error)
        return Promise.resolve(
          Readable.from(
            (async function* () {
              yield Buffer.from('ab');
              throw f;
            })(),
          ),
        );
      return Promise.resolve(Readable.from(f.map((c) => Buffer.from(c))));
    },
  };
}

describe('countingTree', () => {
  it('passes every byte through unchanged and reports each chunk and each opened object', async () => {
    const reads: Array<[number, boolean]> = [];
    const tree = countingTree(fakeTree({ a: ['hello ', 'world'], b: ['xyz'] }), (bytes, opened) =>
      reads.push([bytes, opened]),
    );
    expect(await text(await tree.open('a'))).toBe('hello world');
    expect(await text(await tree.open('b'))).toBe('xyz');
    expect(reads).toEqual([
      [0, true],
      [6, false],
      [5, false],
      [0, true],
      [3, false],
    ]);
    expect(tree.locate('a')).toBe('fake/a');
  });

  it('a read error still reaches the reader', async () => {
    const tree = countingTree(fakeTree({ bad: new Error('connection reset') }), () => undefined);
    await expect(text(await tree.open('bad'))).rejects.toThrow('connection reset');
  });
});
