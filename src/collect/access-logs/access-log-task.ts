import { localTree } from '../tree/local.js';
import { scanIsFull } from '../workers/denied-upload-limit.js';
import { readAccessLogFiles, type AccessLogFilesTask, type AccessLogPart } from './scan-access-logs.js';

/** Reads a batch of access-log files in a worker thread, streamed: a worker holds a chunk of one file at a time. */
export function runAccessLogTask(task: AccessLogFilesTask): Promise<AccessLogPart> {
  return readAccessLogFiles(localTree(task.tree.root, task.tree.limits), task.files, {
    period: task.period,
    streamed: true,
    maxDenied: task.deniedLimit.max,
    scanFull: () => scanIsFull(task.deniedLimit),
    ...(task.buckets ? { buckets: task.buckets } : {}),
  });
}
