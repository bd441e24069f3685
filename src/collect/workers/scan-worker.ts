/**
 * The entry of a scan worker thread (see pool.ts): runs each task it is sent and posts the result
 * back with the task's id. A task that throws is answered with its error, never dropped.
 */
import { parentPort } from 'node:worker_threads';
import { runAccessLogTask } from '../access-logs/access-log-task.js';
import type { AccessLogFilesTask } from '../access-logs/scan-access-logs.js';
import { runCloudTrailTask } from '../cloudtrail/cloudtrail-task.js';
import type { CloudTrailFilesTask } from '../cloudtrail/scan-cloudtrail.js';
import { runDataFileTask, type DataFileTask } from '../inventory/data-file-task.js';

type Task = DataFileTask | AccessLogFilesTask | CloudTrailFilesTask;

async function run(task: Task): Promise<unknown> {
  switch (task.kind) {
    case 'inventory-data-file':
      return runDataFileTask(task);
    case 'access-log-files':
      return runAccessLogTask(task);
    case 'cloudtrail-files':
      return runCloudTrailTask(task);
  }
}

parentPort?.on('message', ({ id, task }: { id: number; task: Task }) => {
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
