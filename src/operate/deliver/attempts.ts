/** Bounded retries: a transient failure is tried again after a growing pause, a permanent one never. */

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** Worth another attempt: a timeout, a refused or reset connection, HTTP 429 or 5xx, SMTP 4xx. */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface AttemptsResult<T> {
  value?: T;
  error?: DeliveryError;
  attempts: number;
}

/** Pause before attempt n+1 (n from 1): 1 s, 2 s, 4 s, … at most 30 s. */
const backoffMs = (n: number) => Math.min(30_000, 1000 * 2 ** (n - 1));

export async function withAttempts<T>(
  max: number,
  attempt: () => Promise<T>,
  sleep: (ms: number) => Promise<void>,
): Promise<AttemptsResult<T>> {
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(), attempts: n };
    } catch (err) {
      const error = err instanceof DeliveryError ? err : new DeliveryError(String(err), false);
      if (!error.transient || n >= max) return { error, attempts: n };
      await sleep(backoffMs(n));
    }
  }
}
