import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A bounded pool of worker threads for the CPU-heavy scans (inventory data files, log files):
 * tasks queue, each worker runs one at a time, results come back in whatever order they finish
 * and the caller puts them back in file order, so the output never depends on which ran first.
 * Workers are started on first use and, while idle, do not keep the process alive. A worker idle for
 * `idleMs` is stopped, so the memory of a finished scan (each worker's heap and inflate buffers,
 * tens of MB) is given back before the packet is rendered; the next task starts a fresh one.
 */
export interface ScanPool {
  readonly size: number;
  run<T>(task: unknown): Promise<T>;
  /**
   * Stops every worker not running a task now, without waiting out its idle time; resolves once they
   * have exited. A task run later starts a fresh worker.
   */
  stopIdle(): Promise<void>;
  close(): Promise<void>;
}

type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

interface Pending {
  id: number;
  task: unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy?: Pending;
  idle?: NodeJS.Timeout;
}

/**
 * A scan worker's young generation (MB). V8's default lets each worker grow ~50 MB of short-lived
 * garbage between collections; the scans keep little alive, so a small one costs about nothing in
 * time and keeps two workers' peak ~40 MB lower (measured on the 5 M-row inventory bench).
 */
const WORKER_YOUNG_MB = 8;

/** How long a worker may sit idle before it is stopped (a scan's tasks come back to back, far closer). */
const DEFAULT_IDLE_MS = 300;

/** The compiled worker entry beside this module (dist/src/collect/workers/scan-worker.js). */
const SCAN_WORKER_URL = new URL('./scan-worker.js', import.meta.url);

export function createScanPool(
  size: number,
  workerUrl: URL = SCAN_WORKER_URL,
  opts: { idleMs?: number } = {},
): ScanPool {
  if (!Number.isInteger(size) || size < 1) throw new Error(`a scan pool needs at least one worker, not ${size}`);
  const idleMs = opts.idleMs ?? DEFAULT_IDLE_MS;
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  function start(): Slot {
    const slot: Slot = {
      worker: new Worker(workerUrl, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } }),
    };
    slot.worker.unref();
    slot.worker.on('message', (answer: Answer) => {
      const job = slot.busy;
      if (!job || job.id !== answer.id) return;
      slot.busy = undefined;
      slot.worker.unref();
      if (answer.ok) job.resolve(answer.value);
      else job.reject(new Error(answer.error));
      dispatch();
      if (!slot.busy) retireWhenIdle(slot);
    });
    const fail = (error: Error) => {
      const job = slot.busy;
      slot.busy = undefined;
      const at = slots.indexOf(slot);
      if (at >= 0) slots.splice(at, 1);
      job?.reject(new Error(`scan worker stopped: ${error.message}`));
      dispatch();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (slots.includes(slot)) fail(new Error(`exited with code ${code}`));
    });
    slots.push(slot);
    return slot;
  }

  function retireWhenIdle(slot: Slot): void {
    slot.idle = setTimeout(() => {
      if (slot.busy || !slots.includes(slot)) return;
      // Out of the slots first: its exit is then not a failure.
      slots.splice(slots.indexOf(slot), 1);
      void slot.worker.terminate();
    }, idleMs);
    slot.idle.unref();
  }

  function dispatch(): void {
    while (queue.length > 0 && !closed) {
      const slot = slots.find((s) => !s.busy) ?? (slots.length < size ? start() : undefined);
      if (!slot) return;
      const job = queue.shift()!;
      clearTimeout(slot.idle);
      slot.busy = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, task: job.task });
    }
  }

  return {
    size,
    run<T>(task: unknown): Promise<T> {
      if (closed) return Promise.reject(new Error('the scan pool is closed'));
      return new Promise<T>((resolve, reject) => {
        queue.push({ id: nextId++, task, resolve: resolve as (v: unknown) => void, reject });
        dispatch();
      });
    },
    async stopIdle(): Promise<void> {
      const idle = slots.filter((s) => !s.busy);
      for (const slot of idle) {
        clearTimeout(slot.idle);
        // Out of the slots first: its exit is then not a failure.
        slots.splice(slots.indexOf(slot), 1);
      }
      await Promise.all(idle.map((s) => s.worker.terminate()));
    },
    async close(): Promise<void> {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the scan pool is closed'));
      const all = slots.splice(0);
      for (const slot of all) {
        clearTimeout(slot.idle);
        slot.busy?.reject(new Error('the scan pool is closed'));
      }
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}

let shared: ScanPool | null | undefined;

/**
 * The process's pool: S3_EVIDENCE_SCAN_WORKERS workers, by default one per core up to 4. None when
 * the compiled worker is not there (the sources run without a build, as under the test runner):
 * the scans then run on the main thread, with the same results.
 */
export function sharedScanPool(): ScanPool | undefined {
  if (shared === undefined) {
    const fromEnv = Number(process.env.S3_EVIDENCE_SCAN_WORKERS);
    const size = Number.isInteger(fromEnv) && fromEnv >= 1 ? fromEnv : Math.min(4, os.availableParallelism());
    shared = existsSync(fileURLToPath(SCAN_WORKER_URL)) ? createScanPool(size) : null;
  }
  return shared ?? undefined;
}

/**
 * Stops the process's idle scan workers now (see ScanPool.stopIdle): a tenant whose collection has
 * ended gives their memory back before its packet is rendered, instead of holding it for the idle
 * time while the workbook thread starts beside them.
 */
export async function stopIdleScanWorkers(): Promise<void> {
  await shared?.stopIdle();
}
