/**
 * Calls an asynchronous reader (running in a worker thread) synchronously, so test helpers keep plain
 * `f(buffer) → value` signatures: the calling thread sleeps on a shared flag until the worker has answered.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** What the worker posts back for every request. */
type WorkerAnswer<T> = { ok: true; value: T } | { ok: false; error: string };

interface Started {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
}

const TIMEOUT_MS = 60_000;

/**
 * A blocking function over the worker module at `workerUrl`. The worker receives `{ request, port, flag }`
 * per call (see pdf-reader.worker.mjs) and must post a WorkerAnswer on `port`, then set `flag[0]` to 1 and notify.
 */
export function syncWorker<Req, Res>(workerUrl: URL): (request: Req) => Res {
  let started: Started | undefined;
  return (request) => {
    if (!started) {
      const worker = new Worker(workerUrl);
      // The worker must not keep a test process alive once its tests are done.
      worker.unref();
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const { port1, port2 } = new MessageChannel();
      worker.postMessage({ port: port2, flag }, [port2]);
      started = { worker, port: port1, flag };
    }
    const { worker, port, flag } = started;
    Atomics.store(flag, 0, 0);
    worker.postMessage({ request });
    if (Atomics.wait(flag, 0, 0, TIMEOUT_MS) === 'timed-out') {
      throw new Error(`${workerUrl.pathname} gave no answer within ${TIMEOUT_MS / 1000} s`);
    }
    const received = receiveMessageOnPort(port);
    if (!received) throw new Error(`${workerUrl.pathname} signalled an answer but posted none`);
    const answer = received.message as WorkerAnswer<Res>;
    if (!answer.ok) throw new Error(answer.error);
    return answer.value;
  };
}
