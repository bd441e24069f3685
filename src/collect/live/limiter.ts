import pLimit from 'p-limit';
import { describeAwsError } from './aws-call.js';
import { HungRegionJudge } from './hung-regions.js';
import { processLoopStalls, type LoopStalls } from './loop-stalls.js';
import type { CallSlots, LiveService, ServiceLimits } from './options.js';

/** Error codes that say "nothing answers there" (the endpoint, not the resource): timeouts and refused or broken connections. */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'TimeoutError',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** The code under which a call skipped in a region given up on is recorded (outcome `error`: NOT EVALUATED). */
const NOT_ATTEMPTED = 'NotAttempted';

/** Thrown instead of calling a region already given up on; recorded like any failed call. */
class NotAttemptedError extends Error {
  override readonly name = NOT_ATTEMPTED;
}

/** True when an SDK or socket error says the endpoint did not answer at all (after the SDK's own retries). */
function isUnreachable(err: unknown): boolean {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: string; code?: string };
  return UNREACHABLE_CODES.has(e.name ?? '') || UNREACHABLE_CODES.has(e.code ?? '');
}

/** True when the error came with an HTTP answer (an AWS error: the endpoint answered). */
function isAnswer(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined
  );
}

/** How the limiter tells a hung region from its own stalls: the timeout per attempt, and the watch on this process's event loop. */
export interface HungJudgment {
  timeoutMs?: number;
  stalls?: LoopStalls;
}

/**
 * Bounds the calls in flight per service, account and region, and gives a region up once: when a
 * call there fails with a timeout or a refused connection after all its attempts, and
 * HungRegionJudge finds that the region, not this process, is at fault, the region is marked with
 * that reason and every later call to it (any service, any account) fails at once as NotAttempted,
 * naming the failure. A hung region then costs one call's timeout x attempts (two on a process whose
 * event loop stalls), not that times the number of resources in it.
 */
export class CallLimiter {
  private readonly givenUp = new Map<string, string>();
  private readonly stalls: LoopStalls;
  private readonly judge: HungRegionJudge;

  /**
   * `limits`: the slots per service, account and region; tenants collected side by side in one
   * process share one map, so two tenants of the same account never double its calls in flight.
   */
  constructor(
    private readonly perService: ServiceLimits,
    private readonly limits: CallSlots = new Map(),
    judgment: HungJudgment = {},
  ) {
    this.stalls = judgment.stalls ?? processLoopStalls;
    this.judge = new HungRegionJudge(this.stalls, judgment.timeoutMs);
  }

  run<T>(service: LiveService, account: string, region: string, fn: () => Promise<T>): Promise<T> {
    const id = `${service}|${account}|${region}`;
    let limit = this.limits.get(id);
    if (!limit) this.limits.set(id, (limit = pLimit(this.perService[service])));
    return limit(async () => {
      this.throwIfGivenUp(region);
      const startedAt = this.callStarted();
      try {
        const answer = await fn();
        this.noteAnswer(service, region);
        return answer;
      } catch (err) {
        this.noteFailure(service, region, startedAt, err);
        throw err;
      } finally {
        this.callSettled();
      }
    });
  }

  /** Marks a call going out (the event loop is watched while any is); returns its start, for noteFailure. */
  callStarted(): number {
    this.stalls.callStarted();
    return this.stalls.now();
  }

  /** Call when a call that callStarted() has settled, however it ended. */
  callSettled(): void {
    this.stalls.callSettled();
  }

  /** An HTTP answer came from `service` in `region` (any status): it is not hung. */
  noteAnswer(service: string, region: string): void {
    this.judge.answered(service, region);
  }

  /**
   * Notes a call's final failure in `region` (after the SDK's attempts); gives the region up when
   * `err` says nothing answers there and the judge finds the region hung. For clients whose calls
   * do not go through `run` (see giveUpWithLimiter), as for `run`'s own.
   */
  noteFailure(service: string, region: string, startedAt: number, err: unknown): void {
    if (isAnswer(err)) this.judge.answered(service, region);
    else if (isUnreachable(err) && !this.givenUp.has(region) && this.judge.isHung(service, region, startedAt, err)) {
      const { error } = describeAwsError(err);
      this.givenUp.set(region, `${service} in ${region} did not answer (${error.code}: ${error.message})`);
    }
  }

  /** Regions given up on in this run, with the first failure there. */
  regionsGivenUp(): Array<{ region: string; reason: string }> {
    return [...this.givenUp].map(([region, reason]) => ({ region, reason }));
  }

  /** Throws NotAttempted when the region has been given up on. */
  throwIfGivenUp(region: string): void {
    const reason = this.givenUp.get(region);
    if (reason)
      throw new NotAttemptedError(`not attempted: ${reason} earlier in this run, so no further call was made there`);
  }
}
