import { describe, expect, it } from 'vitest';
import { CallLimiter } from '../../../src/collect/live/limiter.js';
import type { CallSlots } from '../../../src/collect/live/options.js';

const LIMITS = { s3: 2, kms: 1, sts: 1, config: 1, cloudtrail: 1 };

/** Runs `calls` calls through the limiters in turn; returns the most in flight per account. */
async function mostInFlight(
  limiters: CallLimiter[],
  calls: Array<{ account: string }>,
): Promise<Record<string, number>> {
  const now: Record<string, number> = {};
  const most: Record<string, number> = {};
  await Promise.all(
    calls.map((c, i) =>
      limiters[i % limiters.length]!.run('s3', c.account, 'eu-west-1', async () => {
        now[c.account] = (now[c.account] ?? 0) + 1;
        most[c.account] = Math.max(most[c.account] ?? 0, now[c.account]!);
        await new Promise((r) => setTimeout(r, 5));
        now[c.account]!--;
      }),
    ),
  );
  return most;
}

describe('CallLimiter', () => {
  it('tenants sharing the call slots never exceed one account and region limit together', async () => {
    const slots: CallSlots = new Map();
    const tenants = [new CallLimiter(LIMITS, slots), new CallLimiter(LIMITS, slots), new CallLimiter(LIMITS, slots)];
    const most = await mostInFlight(
      tenants,
      Array.from({ length: 12 }, () => ({ account: '111111111111' })),
    );
    expect(most).toEqual({ '111111111111': 2 });
  });

  it('without shared slots each limiter has its own (the limit per tenant, not per account)', async () => {
    const tenants = [new CallLimiter(LIMITS), new CallLimiter(LIMITS), new CallLimiter(LIMITS)];
    const most = await mostInFlight(
      tenants,
      Array.from({ length: 12 }, () => ({ account: '111111111111' })),
    );
    expect(most).toEqual({ '111111111111': 6 });
  });

  it('keeps accounts apart within shared slots', async () => {
    const slots: CallSlots = new Map();
    const tenants = [new CallLimiter(LIMITS, slots), new CallLimiter(LIMITS, slots)];
    const calls = Array.from({ length: 12 }, (_, i) => ({ account: i % 2 === 0 ? '111111111111' : '222222222222' }));
    expect(await mostInFlight(tenants, calls)).toEqual({ '111111111111': 2, '222222222222': 2 });
  });
});
