import { Worker } from 'node:worker_threads';
import { STOP_MESSAGE, stopWorker } from './worker-stop.js';

/** Where a packet's small files go once their text is made: to disk, each write reported done or failed. */
export interface FileSink {
  /** Writes `text` to `file` (absolute), first making the folder `makeDir` when given; rejects as the write failed. */
  write(file: string, text: string, makeDir?: string): Promise<void>;
}

interface Job {
  file: string;
  text: string;
  makeDir?: string;
}

interface Waiting {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The thread's code: each batch's files written in order, one synchronous write each (and a mkdir
 * where asked), answered with the index and message of each failure; it exits when asked (see
 * worker-stop.ts). Plain JavaScript, so it runs as it is from src/ (tests) and dist/ alike.
 */
const WRITER_THREAD = `
const { parentPort } = require('node:worker_threads');
const { mkdirSync, writeFileSync } = require('node:fs');
parentPort.on('message', (message) => {
  if (message === ${JSON.stringify(STOP_MESSAGE)}) process.exit(0);
  const { id, jobs } = message;
  const failed = [];
  jobs.forEach(({ file, text, makeDir }, i) => {
    try {
      if (makeDir !== undefined) mkdirSync(makeDir, { recursive: true });
      writeFileSync(file, text);
    } catch (err) {
      failed.push({ i, message: err && err.message ? err.message : String(err), code: err && err.code });
    }
  });
  parentPort.postMessage({ id, failed });
});
`;

/**
 * Writes files on a thread of their own. A live run writes one small evidence file per AWS answer,
 * thousands of them, and each write is a few system calls that can take far longer than the call's
 * own work when the disk is busy: on the main thread they held up every answer behind them. Files
 * queued in one turn of the event loop go to the thread as one message; each write's promise settles
 * when the thread has written it, so a caller that awaits it knows the file is on disk, or why not.
 * One thread serves the whole process (every packet's writer); it is started on first use and does
 * not keep the process alive while no write is waiting.
 */
export class ThreadFileSink implements FileSink {
  private worker: Worker | undefined;
  private queued: Job[] = [];
  private queuedWaiting: Waiting[] = [];
  private readonly sent = new Map<number, Waiting[]>();
  private nextId = 1;
  private scheduled = false;

  write(file: string, text: string, makeDir?: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push(makeDir === undefined ? { file, text } : { file, text, makeDir });
      this.queuedWaiting.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.send());
      }
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WRITER_THREAD, {
      eval: true,
      // It keeps nothing alive between batches: a small heap is all it needs.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 },
    });
    worker.on('message', (answer: { id: number; failed: Array<{ i: number; message: string; code?: string }> }) =>
      this.settle(answer.id, answer.failed),
    );
    worker.on('error', (err) => this.fail(worker, err));
    worker.on('exit', (code) => this.fail(worker, new Error(`the file-writing thread stopped (exit code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private send(): void {
    this.scheduled = false;
    if (this.queued.length === 0) return;
    const id = this.nextId++;
    const worker = this.thread();
    this.sent.set(id, this.queuedWaiting);
    // Held while a batch is out, so the process waits for its files.
    worker.ref();
    worker.postMessage({ id, jobs: this.queued });
    this.queued = [];
    this.queuedWaiting = [];
  }

  private settle(id: number, failed: Array<{ i: number; message: string; code?: string }>): void {
    const waiting = this.sent.get(id);
    if (!waiting) return;
    this.sent.delete(id);
    const failures = new Map(failed.map((f) => [f.i, f]));
    waiting.forEach((w, i) => {
      const f = failures.get(i);
      if (f) w.reject(Object.assign(new Error(f.message), f.code ? { code: f.code } : {}));
      else w.resolve();
    });
    if (this.sent.size === 0) this.worker?.unref();
  }

  /** Whether the thread is up (started by a write, not yet stopped). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /**
   * Stops the thread when no write is waiting, queued or out; resolves once it has exited. A write
   * after it starts a new thread. A run's collection writes thousands of files through it, and its
   * heap and buffers stayed beside the analysis and render, which write none of their own here.
   */
  async stopIdle(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.sent.size > 0 || this.queued.length > 0) return;
    // Out of the sink first: its exit is then not a failure of any write.
    this.worker = undefined;
    await stopWorker(worker);
  }

  /** The thread failed as a whole: every write not yet answered fails with it, and the next write starts a new thread. */
  private fail(worker: Worker, err: Error): void {
    if (worker !== this.worker) return;
    const waiting = [...this.sent.values()].flat();
    this.sent.clear();
    this.worker = undefined;
    for (const w of waiting) w.reject(err);
  }
}

let shared: ThreadFileSink | undefined;

/** Stops the process's file-writing thread if it is idle (see ThreadFileSink.stopIdle). */
export async function stopIdleFileThread(): Promise<void> {
  await shared?.stopIdle();
}

/** The process's one file-writing thread. */
export function threadFileSink(): FileSink {
  return (shared ??= new ThreadFileSink());
}
