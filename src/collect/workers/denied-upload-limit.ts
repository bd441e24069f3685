import type { DeniedPastLimit } from '../../evidence/log-scans.js';

/** Counts `n` denied uploads past `limit` into `scan`. */
export function countPastLimit(scan: { deniedPastLimit?: DeniedPastLimit }, limit: number, n = 1): void {
  (scan.deniedPastLimit ??= { limit, count: 0 }).count += n;
}

/**
 * How many denied upload records a log scan has taken so far, shared with the workers reading its
 * batches: the scan takes batches in file order, so once it has taken its limit every denied upload
 * a worker finds is past the limit, and the worker counts it instead of keeping it (and sending it
 * back only to be counted). The scan is the same whenever a worker looks.
 */
export interface DeniedUploadLimit {
  max: number;
  /** One 32-bit count on a SharedArrayBuffer: postMessage shares it with a worker, it does not copy it. */
  taken: Int32Array;
}

export function deniedUploadLimit(max: number): DeniedUploadLimit {
  return { max, taken: new Int32Array(new SharedArrayBuffer(4)) };
}

/** The scan's side, after taking a batch: how many records it has taken now. */
export function noteTaken(limit: DeniedUploadLimit, taken: number): void {
  Atomics.store(limit.taken, 0, Math.min(taken, 0x7fffffff));
}

/** A worker's side: whether the scan has taken its limit already. */
export function scanIsFull(limit: DeniedUploadLimit): boolean {
  return Atomics.load(limit.taken, 0) >= limit.max;
}
