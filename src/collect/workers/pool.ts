import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { stopWorker } from '../../util/worker-stop.js';

/**
 * A bounded pool of worker threads for the CPU-heavy scans (inventory data files, log files):
 * tasks queue in order; each worker is made for one kind of scan (SCAN_SETTINGS: its young
 * generation, how many of its tasks it runs at once), and the pool never runs more workers than its
 * size, whatever kinds the tasks are (tenants run side by side may scan logs and inventories at
 * once). Results come back in whatever order they finish and the caller puts them back in file
 * order, so the output never depends on which ran first. Workers are started on first use and,
 * while idle, do not keep the process alive. A worker idle for `idleMs` is stopped, so the memory of
 * a finished scan (each worker's heap and inflate buffers, tens of MB) is given back before the
 * packet is rendered; the next task starts a fresh one.
 */
export interface ScanPool {
  readonly size: number;
  /** Runs `task` in a worker made for `kind` (by default a log scan's). */
  run<T>(task: unknown, kind?: ScanKind): Promise<T>;
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
  kind: ScanKind;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  kind: ScanKind;
  /** The tasks it runs now, by id. */
  running: Map<number, Pending>;
  idle?: NodeJS.Timeout;
}

/** How long a worker may sit idle before it is stopped (a scan's tasks come back to back, far closer). */
const DEFAULT_IDLE_MS = 300;

/** How a worker made for one kind of scan runs. */
interface ScanPoolSettings {
  /**
   * Each worker's young generation (MB). V8's default lets a worker grow ~50 MB of short-lived
   * garbage between collections; the scans keep little alive, so a small one costs little time and
   * keeps the workers' peak lower.
   */
  youngGenerationMb: number;
  /** Tasks a worker runs at once. */
  tasksPerWorker: number;
}

/**
 * The settings of each kind of scan, measured on the benches (bench/inventory.ts, bench/logs.ts;
 * 2 cores, interleaved rounds).
 *
 * CSV inventory data files: a task's gunzip runs on the libuv pool while its rows are scanned on the
 * worker, and with one file at a time the two wait on each other; with two, the worker scans one
 * file's rows while another inflates (5 M rows, two workers: 3.54 -> 3.29 s median of 4). Each
 * inflated chunk (512 KiB, see data-file.ts) is memory outside the heap, let go only when the small
 * object holding it is collected, so the smaller the young generation the fewer dead chunks pile up:
 * 2 MB holds two workers with two files each at the peak RSS one file each had with 8 MB (184 vs
 * 187 MB; 222 MB with two files each and 8 MB; measured with 256 KiB chunks). Most dead chunks wait
 * for a full collection, which the scan's own garbage brings on: a scan that made less of it (fewer
 * calls to the CSV writer for unencrypted rows) let each worker's chunks pile up to 64-77 MB instead
 * of ~40, two workers' peak 189-198 -> 241-270 MB; a full gc() every 8 chunks held them at 16 MB.
 * Writing only the evidence lines of unencrypted rows without the CSV writer (when nothing needs
 * quoting) did the same: two workers 195-200 -> 213-222 MB, the whole `run` 225-234 -> 248-267 MB,
 * while a tenant whose objects are 70 % unencrypted scanned in 3.2-4.2 s instead of 5.5-6.0 (its
 * workers spent 38 % of their time collecting garbage). So did calling the CSV writer once per 32
 * unencrypted rows instead of once per row (one worker 4.25-4.64 s against 4.77-4.95, two workers the
 * same, their peak 191-193 -> 265-273 MB; once per 1,024 rows, the rows held that long, was slower).
 * Less garbage in the scan needs gunzip output that is not a new buffer per chunk.
 *
 * Parquet data files are read a row group at a time, whole: a second file per worker raised two
 * workers' peak from ~230 to 282 MB and gained nothing (2.41 vs 2.45 s). Log files: CloudTrail's
 * JSON keeps more alive per record, and 2 MB made its scan ~10 % slower; two tasks per worker gained
 * nothing there and raised its peak. Both keep 8 MB and one task.
 */
const SCAN_SETTINGS = {
  csvInventory: { youngGenerationMb: 2, tasksPerWorker: 2 },
  parquetInventory: { youngGenerationMb: 8, tasksPerWorker: 1 },
  logs: { youngGenerationMb: 8, tasksPerWorker: 1 },
} as const satisfies Record<string, ScanPoolSettings>;

type ScanKind = keyof typeof SCAN_SETTINGS;

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
  /** Workers stopped but not yet exited. */
  let exiting = 0;
  let closed = false;

  function start(kind: ScanKind): Slot {
    const slot: Slot = {
      worker: new Worker(workerUrl, {
        resourceLimits: { maxYoungGenerationSizeMb: SCAN_SETTINGS[kind].youngGenerationMb },
      }),
      kind,
      running: new Map(),
    };
    slot.worker.unref();
    slot.worker.on('message', (answer: Answer) => {
      const job = slot.running.get(answer.id);
      if (!job) return;
      slot.running.delete(answer.id);
      if (slot.running.size === 0) slot.worker.unref();
      if (answer.ok) job.resolve(answer.value);
      else job.reject(new Error(answer.error));
      dispatch();
      if (slot.running.size === 0) retireWhenIdle(slot);
    });
    const fail = (error: Error) => {
      const jobs = [...slot.running.values()];
      slot.running.clear();
      const at = slots.indexOf(slot);
      if (at >= 0) slots.splice(at, 1);
      for (const job of jobs) job.reject(new Error(`scan worker stopped: ${error.message}`));
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
      if (slot.running.size > 0 || !slots.includes(slot)) return;
      void retire(slot);
    }, idleMs);
    slot.idle.unref();
  }

  /**
   * Stops an idle worker now (asked to exit, see stopWorker). It leaves the slots first (its exit is
   * then not a failure) but counts against the size until it has exited, so a worker started in its
   * place never runs beside it.
   */
  function retire(slot: Slot): Promise<unknown> {
    clearTimeout(slot.idle);
    slots.splice(slots.indexOf(slot), 1);
    exiting++;
    return stopWorker(slot.worker).finally(() => {
      exiting--;
      dispatch();
    });
  }

  /**
   * Where a task of `kind` runs: an idle worker of its kind, else a new one while the pool has room,
   * else the least busy worker of its kind with room for another task. None yet when every worker
   * is busy, or when an idle worker of another kind must first exit to make room (it is stopped).
   */
  function slotFor(kind: ScanKind): Slot | undefined {
    const idle = slots.find((s) => s.kind === kind && s.running.size === 0);
    if (idle) return idle;
    if (slots.length + exiting < size) return start(kind);
    const other = slots.find((s) => s.running.size === 0);
    if (other) {
      void retire(other);
      return undefined;
    }
    let best: Slot | undefined;
    for (const s of slots)
      if (s.kind === kind && s.running.size < SCAN_SETTINGS[kind].tasksPerWorker)
        if (!best || s.running.size < best.running.size) best = s;
    return best;
  }

  function dispatch(): void {
    // In order: a task that must wait for a worker holds back those queued after it.
    while (queue.length > 0 && !closed) {
      const slot = slotFor(queue[0]!.kind);
      if (!slot) return;
      const job = queue.shift()!;
      clearTimeout(slot.idle);
      slot.running.set(job.id, job);
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, task: job.task });
    }
  }

  return {
    size,
    run<T>(task: unknown, kind: ScanKind = 'logs'): Promise<T> {
      if (closed) return Promise.reject(new Error('the scan pool is closed'));
      return new Promise<T>((resolve, reject) => {
        queue.push({ id: nextId++, task, kind, resolve: resolve as (v: unknown) => void, reject });
        dispatch();
      });
    },
    async stopIdle(): Promise<void> {
      await Promise.all(slots.filter((s) => s.running.size === 0).map(retire));
    },
    async close(): Promise<void> {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the scan pool is closed'));
      const all = slots.splice(0);
      for (const slot of all) {
        clearTimeout(slot.idle);
        for (const job of slot.running.values()) job.reject(new Error('the scan pool is closed'));
        slot.running.clear();
      }
      await Promise.all(all.map((s) => stopWorker(s.worker)));
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
