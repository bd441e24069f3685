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

  it('stops an idle thread, and a later write starts a new one', async () => {
    const sink = new ThreadFileSink();
    expect(sink.running).toBe(false);
    await Promise.all(Array.from({ length: 50 }, (_, i) => sink.write(path.join(dir, `a${i}.json`), `${i}`)));
    expect(sink.running).toBe(true);
    await sink.stopIdle();
    expect(sink.running).toBe(false);
    // Stopped on purpose: no write fails with the thread's exit, and the next write is made by a new thread.
    await sink.write(path.join(dir, 'after.json'), 'after');
    expect(sink.running).toBe(true);
    expect(await readFile(path.join(dir, 'after.json'), 'utf8')).toBe('after');
    expect(await readFile(path.join(dir, 'a49.json'), 'utf8')).toBe('49');
    await sink.stopIdle();
  });

  it('does not stop a thread with writes queued or out: they are written', async () => {
    const sink = new ThreadFileSink();
    await sink.write(path.join(dir, 'first.json'), 'first');
    // Queued in this turn, sent at the next: stopIdle now leaves the thread for them.
    const queued = Array.from({ length: 20 }, (_, i) => sink.write(path.join(dir, `q${i}.json`), `q${i}`));
    await sink.stopIdle();
    expect(sink.running).toBe(true);
    await Promise.all(queued);
    expect(await readFile(path.join(dir, 'q19.json'), 'utf8')).toBe('q19');
    // Out to the thread (sent, not yet answered): still not stopped.
    const out = sink.write(path.join(dir, 'out.json'), 'out');
    await new Promise((resolve) => setImmediate(resolve));
    await sink.stopIdle();
    expect(sink.running).toBe(true);
    await out;
    expect(await readFile(path.join(dir, 'out.json'), 'utf8')).toBe('out');
    await sink.stopIdle();
    expect(sink.running).toBe(false);
  });
});
