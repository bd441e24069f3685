import { writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ThreadFileSink, threadFileSink } from '../../src/util/background-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's3e-sink-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ThreadFileSink', () => {
  it('writes 300 files into 3 new folders, each promise settling once its file is on disk', async () => {
    const sink = new ThreadFileSink();
    const jobs = Array.from({ length: 300 }, (_, i) => {
      const folder = path.join(dir, `f${i % 3}`, 'deep');
      return { folder, file: path.join(folder, `${i}.json`), text: `{"i": ${i}}\n` };
    });
    const made = new Set<string>();
    await Promise.all(
      jobs.map((j) => {
        const first = !made.has(j.folder);
        made.add(j.folder);
        return sink.write(j.file, j.text, first ? j.folder : undefined);
      }),
    );
    for (const i of [0, 1, 2, 150, 299]) expect(await readFile(jobs[i]!.file, 'utf8')).toBe(`{"i": ${i}}\n`);
  });

  it('fails only the writes that failed, with the system error, and writes the rest of the batch', async () => {
    const sink = new ThreadFileSink();
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const results = await Promise.allSettled([
      sink.write(path.join(dir, 'ok-1.json'), '1', dir),
      sink.write(path.join(blocker, 'x', 'y.json'), '2', path.join(blocker, 'x')),
      sink.write(path.join(dir, 'missing', 'z.json'), '3'),
      sink.write(path.join(dir, 'ok-2.json'), '4'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'ENOTDIR' });
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'ENOENT' });
    expect(await readFile(path.join(dir, 'ok-2.json'), 'utf8')).toBe('4');
  });

  it('writes one file twice in one turn in the order asked: the last text stays', async () => {
    const sink = threadFileSink();
    const file = path.join(dir, 'twice.json');
    await Promise.all([sink.write(file, 'first', dir), sink.write(file, 'second')]);
    expect(await readFile(file, 'utf8')).toBe('second');
  });
});
