import { performance } from 'node:perf_hooks';

/** How often the watch looks at the event loop while calls are in flight; a late look is a stall. */
const TICK_MS = 20;
/** Lateness below this is ordinary work between two looks, not a stall worth keeping. */
const SMALLEST_STALL_MS = 50;
/** Stalls kept: far more than fit in any one call's attempts at the shipped settings. */
const KEPT_STALLS = 256;

/** Where this process's own event loop stood still; times are performance.now() milliseconds. */
export interface LoopStalls {
  now(): number;
  /** The longest stretch within [from, to] in which this process's event loop did not run. */
  longestStall(from: number, to: number): number;
  /** Call when a call goes out and when it settles: the loop is watched only while calls are in flight. */
  callStarted(): void;
  callSettled(): void;
}

/**
 * Watches this process's event loop with a timer that should run every TICK_MS: when it runs much
 * later, the loop was blocked (CPU starvation on a busy host, a long synchronous task, GC) for that
 * long. During such a stall an answer that arrived is left unread while the SDK's request timer,
 * run first when the loop resumes, calls the request timed out: the timeout is then ours, not the
 * endpoint's.
 */
class EventLoopStalls implements LoopStalls {
  private readonly stalls: Array<{ from: number; to: number }> = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastLook = 0;

  now(): number {
    return performance.now();
  }

  callStarted(): void {
    this.inFlight += 1;
    if (this.timer) return;
    this.lastLook = this.now();
    this.timer = setInterval(() => this.look(), TICK_MS);
    this.timer.unref();
  }

  callSettled(): void {
    this.inFlight -= 1;
    if (this.inFlight > 0 || !this.timer) return;
    this.look();
    clearInterval(this.timer);
    this.timer = undefined;
  }

  longestStall(from: number, to: number): number {
    let longest = 0;
    for (const s of this.stalls) longest = Math.max(longest, Math.min(s.to, to) - Math.max(s.from, from));
    // The stall the loop is coming out of right now (its timers run before the watch's own look).
    if (this.timer) longest = Math.max(longest, Math.min(this.now(), to) - Math.max(this.lastLook + TICK_MS, from));
    return longest;
  }

  private look(): void {
    const now = this.now();
    const due = this.lastLook + TICK_MS;
    if (now - due >= SMALLEST_STALL_MS) {
      this.stalls.push({ from: due, to: now });
      if (this.stalls.length > KEPT_STALLS) this.stalls.shift();
    }
    this.lastLook = now;
  }
}

/** The one watch of this process's event loop, shared by every limiter in it (tenants collected side by side). */
export const processLoopStalls: LoopStalls = new EventLoopStalls();
