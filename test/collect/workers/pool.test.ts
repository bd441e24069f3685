import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScanPool } from '../../../src/collect/workers/pool.js';
import { STOP_MESSAGE } from '../../../src/util/worker-stop.js';

/** A worker speaking the pool's protocol: echoes, throws, or exits, as the task asks; exits when asked to stop. */
const WORKER = `
import { parentPort, threadId } from 'node:worker_threads';
let running = 0;
parentPort.on('message', async (message) => {
  if (message === ${JSON.stringify(STOP_MESSAGE)}) process.exit(0);
  const { id, task } = message;
  if (task.exit) process.exit(3);
  const alongside = ++running;
  await new Promise((r) => setTimeout(r, task.ms ?? 0));
  running--;
  if (task.fail) parentPort.postMessage({ id, ok: false, error: 'asked to fail' });
  else parentPort.postMessage({ id, ok: true, value: { echo: task.n, threadId, alongside } });
});
`;

let dir: string;
let url: URL;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'scan-pool-'));
  await writeFile(path.join(dir, 'worker.mjs'), WORKER);
  url = pathToFileURL(path.join(dir, 'worker.mjs'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('scan pool', () => {
  it('answers every task with its own result and never runs more workers than its size', async () => {
    const pool = createScanPool(2, url);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, n) => pool.run<{ echo: number; threadId: number }>({ n, ms: 20 })),
    );
    expect(answers.map((a) => a.echo)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(answers.map((a) => a.threadId)).size).toBe(2);
    await pool.close();
  });

  it('a worker runs as many tasks at once as its kind allows: one for a log scan, two for CSV data files', async () => {
    type Answer = { echo: number; threadId: number; alongside: number };
    const tasks = (n: number) => Array.from({ length: n }, (_, i) => ({ n: i, ms: 40 }));
    const pool = createScanPool(1, url);
    const logs = await Promise.all(tasks(4).map((t) => pool.run<Answer>(t, 'logs')));
    expect(logs.map((a) => a.alongside)).toEqual([1, 1, 1, 1]);
    const csv = await Promise.all(tasks(5).map((t) => pool.run<Answer>(t, 'csvInventory')));
    expect(csv.map((a) => a.echo)).toEqual([0, 1, 2, 3, 4]);
    // The first two start together; each later one when one of those running has answered.
    expect(csv.slice(0, 2).map((a) => a.alongside)).toEqual([1, 2]);
    expect(Math.max(...csv.map((a) => a.alongside))).toBe(2);
    expect(new Set(csv.map((a) => a.threadId)).size).toBe(1);
    await pool.close();
  });

  it('two workers, two CSV tasks each: a new worker is started before a busy one takes a second task', async () => {
    type Answer = { threadId: number; alongside: number };
    const pool = createScanPool(2, url);
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, n) => pool.run<Answer>({ n, ms: 60 }, 'csvInventory')),
    );
    const byThread = new Map<number, number>();
    for (const a of answers) byThread.set(a.threadId, (byThread.get(a.threadId) ?? 0) + 1);
    expect([...byThread.values()]).toEqual([2, 2]);
    expect(answers.map((a) => a.alongside).sort()).toEqual([1, 1, 2, 2]);
    await pool.close();
  });

  it('never runs more workers than its size whatever the kinds: a task of another kind waits, then replaces an idle worker', async () => {
    type Answer = { echo: number; threadId: number; alongside: number };
    const pool = createScanPool(1, url, { idleMs: 60_000 });
    let alive = 0;
    let most = 0;
    const onWorker = (w: Worker) => {
      most = Math.max(most, ++alive);
      w.once('exit', () => alive--);
    };
    process.on('worker', onWorker);
    try {
      const csv = pool.run<Answer>({ n: 1, ms: 150 }, 'csvInventory');
      const log = pool.run<Answer>({ n: 2 }, 'logs');
      const [a, b] = await Promise.all([csv, log]);
      expect(a.echo).toBe(1);
      expect(b).toMatchObject({ echo: 2, alongside: 1 });
      // The log scan did not share the CSV worker, nor ran beside it in a second one.
      expect(b.threadId).not.toBe(a.threadId);
      expect(most).toBe(1);
      // Back to CSV: the idle log worker makes room again.
      const again = await pool.run<Answer>({ n: 3 }, 'csvInventory');
      expect([a.threadId, b.threadId]).not.toContain(again.threadId);
      expect(most).toBe(1);
    } finally {
      process.off('worker', onWorker);
      await pool.close();
    }
  });

  it('a worker that dies with two tasks rejects both; the queue goes on in a new worker', async () => {
    const pool = createScanPool(1, url);
    const slow = pool.run({ n: 1, ms: 200 }, 'csvInventory');
    const died = pool.run({ exit: true }, 'csvInventory');
    const next = pool.run<{ echo: number }>({ n: 9 }, 'csvInventory');
    await expect(died).rejects.toThrow('scan worker stopped: exited with code 3');
    await expect(slow).rejects.toThrow('scan worker stopped: exited with code 3');
    await expect(next).resolves.toMatchObject({ echo: 9 });
    await pool.close();
  });

  it('a task that fails rejects alone', async () => {
    const pool = createScanPool(1, url);
    const [a, b, c] = await Promise.allSettled([
      pool.run({ n: 1 }),
      pool.run({ n: 2, fail: true }),
      pool.run<{ echo: number }>({ n: 3 }),
    ]);
    expect(a.status).toBe('fulfilled');
    expect(b).toMatchObject({ status: 'rejected', reason: new Error('asked to fail') });
    expect(c).toMatchObject({ status: 'fulfilled', value: { echo: 3 } });
    await pool.close();
  });

  it('a worker that dies rejects its task; the next task gets a new worker', async () => {
    const pool = createScanPool(1, url);
    const died = pool.run({ exit: true });
    const next = pool.run<{ echo: number }>({ n: 9 });
    await expect(died).rejects.toThrow('scan worker stopped: exited with code 3');
    await expect(next).resolves.toMatchObject({ echo: 9 });
    await pool.close();
  });

  it('closing rejects what is still queued', async () => {
    const pool = createScanPool(1, url);
    const running = pool.run({ n: 1, ms: 200 }).catch((e: unknown) => e);
    const queued = pool.run({ n: 2 }).catch((e: unknown) => e);
    await pool.close();
    expect(await queued).toEqual(new Error('the scan pool is closed'));
    expect(await running).toEqual(new Error('the scan pool is closed'));
    await expect(pool.run({ n: 3 })).rejects.toThrow('the scan pool is closed');
  });
});

describe('scan pool: idle workers', () => {
  it('keeps a busy worker between tasks that come back to back, and stops one left idle (the next task gets a fresh one)', async () => {
    const pool = createScanPool(1, url, { idleMs: 150 });
    const first = await pool.run<{ threadId: number }>({ n: 1 });
    const soon = await pool.run<{ threadId: number }>({ n: 2 });
    expect(soon.threadId).toBe(first.threadId);
    await new Promise((r) => setTimeout(r, 600));
    const later = await pool.run<{ echo: number; threadId: number }>({ n: 3 });
    expect(later.echo).toBe(3);
    expect(later.threadId).not.toBe(first.threadId);
    await pool.close();
  });

  it('stopIdle stops the idle workers at once and leaves a busy one to finish its task', async () => {
    // An idle time far longer than the test: only stopIdle can stop a worker here.
    const pool = createScanPool(2, url, { idleMs: 60_000 });
    const exited: number[] = [];
    const onWorker = (w: Worker) => {
      // A worker's threadId reads -1 once it has stopped: take it now.
      const id = w.threadId;
      w.once('exit', () => exited.push(id));
    };
    process.on('worker', onWorker);
    try {
      const [a, b] = await Promise.all([
        pool.run<{ threadId: number }>({ n: 1 }),
        pool.run<{ threadId: number }>({ n: 2 }),
      ]);
      expect(a.threadId).not.toBe(b.threadId);
      const slow = pool.run<{ echo: number; threadId: number }>({ n: 3, ms: 300 });
      await pool.stopIdle();
      // One of the two was idle and has exited; the other is running the slow task.
      expect(exited).toHaveLength(1);
      const done = await slow;
      expect(done.echo).toBe(3);
      expect(exited).not.toContain(done.threadId);
      await pool.stopIdle();
      expect(exited.sort()).toEqual([a.threadId, b.threadId].sort());
      // A later task gets a fresh worker.
      const later = await pool.run<{ echo: number; threadId: number }>({ n: 4 });
      expect(later.echo).toBe(4);
      expect([a.threadId, b.threadId]).not.toContain(later.threadId);
    } finally {
      process.off('worker', onWorker);
      await pool.close();
    }
  });
});
