import type { LoopStalls } from './loop-stalls.js';

/**
 * A stall this long (or half the timeout, if longer) within a timed-out attempt may have caused the
 * timeout: an answer that came during it waited unread until the timer had fired. A shorter one
 * could only if the endpoint itself took most of the timeout to answer.
 */
const LEAST_SUSPECT_STALL_MS = 100;

function isTimeout(err: unknown): boolean {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: string; code?: string };
  return e.name === 'TimeoutError' || e.code === 'ETIMEDOUT';
}

/**
 * Judges whether a call that found nothing answering (after all its attempts) means that its
 * service in that region is hung, so that the region is given up for the rest of the run:
 * - not when that service answered anything in that region while the call was out (a slow
 *   answer for one resource is that resource's timeout, not a hung region);
 * - not at once when this process's own event loop stalled during the call's last attempt: a
 *   timer runs before the answer waiting on the socket is read, so the timeout may be ours. Such
 *   a timeout makes the service suspect, and it is given up when a call sent after that also
 *   finds nothing answering, with no answer in between; any answer clears the suspicion.
 * A truly hung region on a responsive process is given up by its first failed call (timeout x
 * attempts); on a stalling process, by the next round of calls (twice that).
 */
export class HungRegionJudge {
  /** When each `service|region` last answered (any HTTP answer, error statuses included). */
  private readonly lastAnswer = new Map<string, number>();
  /** When a `service|region` became suspect: a timeout there that this process's stall may have caused. */
  private readonly suspectSince = new Map<string, number>();

  /** `timeoutMs`: the timeout per attempt, when known; else a call's whole life is searched for stalls. */
  constructor(
    private readonly stalls: LoopStalls,
    private readonly timeoutMs?: number,
  ) {}

  answered(service: string, region: string): void {
    const key = `${service}|${region}`;
    this.lastAnswer.set(key, this.stalls.now());
    this.suspectSince.delete(key);
  }

  /** `startedAt`: when the failed call was sent (stalls.now() time); `err`: its final failure, one saying nothing answered. */
  isHung(service: string, region: string, startedAt: number, err: unknown): boolean {
    const key = `${service}|${region}`;
    const now = this.stalls.now();
    if ((this.lastAnswer.get(key) ?? -Infinity) >= startedAt) return false;
    // A refused or reset connection is the endpoint's doing, whatever this process was up to.
    if (!isTimeout(err)) return true;
    const lastAttemptFrom = this.timeoutMs === undefined ? startedAt : Math.max(startedAt, now - this.timeoutMs);
    const suspectStall = Math.max(LEAST_SUSPECT_STALL_MS, (this.timeoutMs ?? 0) / 2);
    if (this.stalls.longestStall(lastAttemptFrom, now) < suspectStall) return true;
    const since = this.suspectSince.get(key);
    if (since !== undefined) return startedAt >= since;
    this.suspectSince.set(key, now);
    return false;
  }
}
