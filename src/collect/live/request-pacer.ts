/** What pacing waits on; tests give a virtual one so that no test depends on the machine's speed. */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Spaces requests at least 1000/perSecond ms apart, so no rolling second holds more than
 * `perSecond` of them (a token bucket would let a burst of `perSecond` be followed at once by more).
 */
export class RequestPacer {
  private readonly intervalMs: number;
  private nextAt = 0;

  constructor(
    perSecond: number,
    private readonly clock: PacerClock = systemClock,
  ) {
    this.intervalMs = 1000 / perSecond;
  }

  /** Resolves when the caller may send; callers are served in the order they asked. */
  async wait(): Promise<void> {
    const slot = Math.max(this.clock.now(), this.nextAt);
    this.nextAt = slot + this.intervalMs;
    // setTimeout may fire a millisecond early: wait until the slot has really come.
    for (let left = slot - this.clock.now(); left > 0; left = slot - this.clock.now())
      await this.clock.sleep(Math.ceil(left));
  }
}

interface MiddlewareHost {
  middlewareStack: {
    addRelativeTo(
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: { name: string; relation: 'after'; toMiddleware: string },
    ): void;
  };
}

/** Paces every HTTP attempt of the client, retries included (the pacer sits after the SDK's retry step). */
export function paceClient<C>(client: C, pacer: RequestPacer): C {
  (client as unknown as MiddlewareHost).middlewareStack.addRelativeTo(
    (next) => async (args) => {
      await pacer.wait();
      return next(args);
    },
    { name: 'requestPacer', relation: 'after', toMiddleware: 'retryMiddleware' },
  );
  return client;
}
