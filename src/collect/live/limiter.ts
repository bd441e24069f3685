import pLimit from 'p-limit';
import { describeAwsError } from './aws-call.js';
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

/**
 * Bounds the calls in flight per service, account and region, and gives a region up once: when a
 * call there fails with a timeout or a refused connection after all its attempts, the region is
 * marked with that reason and every later call to it (any service, any account) fails at once as
 * NotAttempted, naming the first failure. A hung region then costs one call's timeout x attempts,
 * not that times the number of resources in it.
 */
export class CallLimiter {
  private readonly givenUp = new Map<string, string>();

  /**
   * `limits`: the slots per service, account and region; tenants collected side by side in one
   * process share one map, so two tenants of the same account never double its calls in flight.
   */
  constructor(
    private readonly perService: ServiceLimits,
    private readonly limits: CallSlots = new Map(),
  ) {}

  run<T>(service: LiveService, account: string, region: string, fn: () => Promise<T>): Promise<T> {
    const id = `${service}|${account}|${region}`;
    let limit = this.limits.get(id);
    if (!limit) this.limits.set(id, (limit = pLimit(this.perService[service])));
    return limit(async () => {
      this.throwIfGivenUp(region);
      try {
        return await fn();
      } catch (err) {
        this.noteFailure(service, region, err);
        throw err;
      }
    });
  }

  /**
   * Gives a region up when `err` (a call's final failure there, after the SDK's attempts) says
   * nothing answers there; for clients whose calls do not go through `run` (see giveUpWithLimiter).
   */
  noteFailure(service: string, region: string, err: unknown): void {
    if (isUnreachable(err) && !this.givenUp.has(region)) {
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
