import type { MessagePort, Worker } from 'node:worker_threads';

/**
 * How the tool's worker threads are stopped: asked, never interrupted.
 *
 * Worker.terminate() stops a thread wherever its JavaScript is. On Node 20 and 22, a thread stopped
 * between creating a zlib stream and initialising it (the two are separate native calls) aborts the
 * whole process as the thread is torn down (node_zlib.cc: `init_done_ && "close before init"`), and
 * the tool's threads create zlib streams all the time: exceljs zips each sheet, the scans inflate each
 * file, and a workbook whose render failed may still be zipping when its error is answered. So the
 * main thread posts STOP_MESSAGE and each thread exits itself from its message handler (exitOnStop),
 * where no such half-made stream can be on the stack; process.exit on a worker ends only that worker.
 */
export const STOP_MESSAGE = 's3-evidence:stop-thread';

/**
 * How long a thread may take to act on STOP_MESSAGE before it is terminated after all: only a thread
 * stuck in synchronous code misses it, and one that never exits must not hold up the run.
 */
const STOP_GRACE_MS = 10_000;

/** The thread's side: exits when the main thread asks. Call it before any other message listener. */
export function exitOnStop(port: MessagePort): void {
  port.on('message', (message: unknown) => {
    if (message === STOP_MESSAGE) process.exit(0);
  });
}

/**
 * Asks `worker` to exit and resolves once it has. The process is kept alive until then: a worker
 * still running when the process exits is stopped by Node the same way terminate() would stop it.
 */
export function stopWorker(worker: Worker, graceMs = STOP_GRACE_MS): Promise<void> {
  // threadId is -1 once the thread has ended (its exit event may already have been emitted).
  if (worker.threadId === -1) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const lastResort = setTimeout(() => void worker.terminate(), graceMs);
    lastResort.unref();
    worker.once('exit', () => {
      clearTimeout(lastResort);
      resolve();
    });
    worker.ref();
    worker.postMessage(STOP_MESSAGE);
  });
}
