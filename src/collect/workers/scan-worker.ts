/**
 * The entry of a scan worker thread (see pool.ts): runs each task it is sent and posts the result
 * back with the task's id. A task that throws is answered with its error, never dropped. Each kind's
 * reader is loaded when its first task comes: a worker reading inventory data files does not load
 * the CloudTrail and access-log readers (a few hundred ms of each worker's start).
 */
import { parentPort } from 'node:worker_threads';
import type { AccessLogFilesTask } from '../access-logs/scan-access-logs.js';
import type { CloudTrailFilesTask } from '../cloudtrail/scan-cloudtrail.js';
import type { DataFileTask } from '../inventory/data-file-task.js';
import { exitOnStop, STOP_MESSAGE } from '../../util/worker-stop.js';

type Task = DataFileTask | AccessLogFilesTask | CloudTrailFilesTask;

async function run(task: Task): Promise<unknown> {
  switch (task.kind) {
    case 'inventory-data-file':
      return (await import('../inventory/data-file-task.js')).runDataFileTask(task);
    case 'access-log-files':
      return (await import('../access-logs/access-log-task.js')).runAccessLogTask(task);
    case 'cloudtrail-files':
      return (await import('../cloudtrail/cloudtrail-task.js')).runCloudTrailTask(task);
  }
}

if (parentPort) exitOnStop(parentPort);
parentPort?.on('message', (message: { id: number; task: Task } | typeof STOP_MESSAGE) => {
  if (message === STOP_MESSAGE) return;
  const { id, task } = message;
  run(task).then(
    (value) => parentPort!.postMessage({ id, ok: true, value }),
    (err: unknown) =>
      parentPort!.postMessage({
        id,
        ok: false,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      }),
  );
});
