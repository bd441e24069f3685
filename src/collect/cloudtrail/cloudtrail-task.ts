import { localTree } from '../tree/local.js';
import { scanIsFull } from '../workers/denied-upload-limit.js';
import { readCloudTrailFiles, type CloudTrailFilesTask, type CloudTrailPart } from './scan-cloudtrail.js';

/** Reads a batch of trail files in a worker thread. */
export function runCloudTrailTask(task: CloudTrailFilesTask): Promise<CloudTrailPart> {
  return readCloudTrailFiles(localTree(task.tree.root, task.tree.limits), task.files, {
    period: task.period,
    maxDenied: task.deniedLimit.max,
    scanFull: () => scanIsFull(task.deniedLimit),
  });
}
