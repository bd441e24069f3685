import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopWorker } from '../../src/util/worker-stop.js';
import { bundleModule } from '../support/bundle-module.js';

let dir: string;

/** A thread that makes zlib streams without pause, as exceljs's zip and the scans do, and exits when asked. */
const ZIPPING_THREAD = `
import { parentPort } from 'node:worker_threads';
import { createDeflateRaw } from 'node:zlib';
import { exitOnStop } from './worker-stop.mjs';
exitOnStop(parentPort);
parentPort.postMessage('zipping');
(function zip() {
  for (let i = 0; i < 200; i++) createDeflateRaw().end(Buffer.alloc(64));
  setImmediate(zip);
})();
`;

/** Starts and stops the zipping thread `rounds` times, each stopped 0-15 ms into its work; prints each exit code. */
const STOPPER = `
import { Worker } from 'node:worker_threads';
import { stopWorker } from './worker-stop.mjs';
const rounds = Number(process.argv[2]);
const codes = {};
for (let i = 0; i < rounds; i++) {
  const worker = new Worker(new URL('./zipping-thread.mjs', import.meta.url));
  await new Promise((resolve) => worker.once('message', resolve));
  await new Promise((resolve) => setTimeout(resolve, i % 16));
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  await stopWorker(worker);
  const code = await exited;
  codes[code] = (codes[code] ?? 0) + 1;
}
console.log(JSON.stringify(codes));
`;

beforeAll(async () => {
  dir = path.resolve('node_modules', '.cache', 's3e-worker-stop', String(process.pid));
  mkdirSync(dir, { recursive: true });
  await bundleModule(path.resolve('src', 'util', 'worker-stop.ts'), path.join(dir, 'worker-stop.mjs'));
  writeFileSync(path.join(dir, 'zipping-thread.mjs'), ZIPPING_THREAD);
  writeFileSync(path.join(dir, 'stopper.mjs'), STOPPER);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stopping a worker thread', () => {
  // Worker.terminate() on the same threads aborts the process ("close before init") within a few
  // dozen rounds on Node 20; the process here must live through every round and print all of them.
  it('a thread stopped while it makes zlib streams exits with 0 and the process lives on, round after round', () => {
    const run = spawnSync(process.execPath, [path.join(dir, 'stopper.mjs'), '100'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stderr).not.toContain('close before init');
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ '0': 100 });
  }, 130_000);

  it('a thread that never reads its messages is terminated once the grace time is over', async () => {
    const worker = new Worker("require('node:worker_threads').parentPort.postMessage('spinning'); for (;;) {}", {
      eval: true,
    });
    await new Promise((resolve) => worker.once('message', resolve));
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    const started = Date.now();
    await stopWorker(worker, 300);
    // terminate()'s exit code, after the grace time.
    expect(await exited).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(worker.threadId).toBe(-1);
  });

  it('a thread that has already exited is stopped at once', async () => {
    const worker = new Worker('process.exit(4)', { eval: true });
    expect(await new Promise<number>((resolve) => worker.once('exit', resolve))).toBe(4);
    await stopWorker(worker);
    expect(worker.threadId).toBe(-1);
  });
});
