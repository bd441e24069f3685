import { describe, expect, it } from 'vitest';
import { RequestPacer, type PacerClock } from '../../../src/collect/live/request-pacer.js';

/** A clock that moves only when someone sleeps on it; it records every sleep. */
function virtualClock(start = 0): PacerClock & { sleeps: number[]; set(t: number): void } {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: (ms) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
    set: (v) => {
      t = v;
    },
  };
}

async function grants(pacer: RequestPacer, clock: PacerClock, n: number): Promise<number[]> {
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    await pacer.wait();
    at.push(clock.now());
  }
  return at;
}

describe('RequestPacer', () => {
  it('lets requests go 1000/perSecond ms apart: 2 per second gives 0, 500, 1000 …', async () => {
    const clock = virtualClock(10_000);
    expect(await grants(new RequestPacer(2, clock), clock, 5)).toEqual([10_000, 10_500, 11_000, 11_500, 12_000]);
    expect(clock.sleeps).toEqual([500, 500, 500, 500]);
  });

  it('never lets a rolling second hold more than perSecond requests, even after an idle spell', async () => {
    const clock = virtualClock();
    const pacer = new RequestPacer(3, clock);
    const first = await grants(pacer, clock, 2);
    clock.set(5_000); // idle: the next one goes at once, no burst is saved up
    const later = await grants(pacer, clock, 4);
    expect(first).toEqual([0, 334]);
    expect(later).toEqual([5_000, 5_334, 5_667, 6_000]);
    const all = [...first, ...later];
    for (let i = 0; i + 3 < all.length; i++) expect(all[i + 3]! - all[i]!).toBeGreaterThanOrEqual(1000);
  });

  it('serves callers waiting at once in the order they asked, each in its own slot', async () => {
    const clock = virtualClock();
    const pacer = new RequestPacer(2, clock);
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map(async (name) => {
        await pacer.wait();
        order.push(name);
      }),
    );
    expect(order).toEqual(['a', 'b', 'c']);
    expect(clock.sleeps).toEqual([500, 500]);
  });
});
