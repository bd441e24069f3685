/** The watch on this process's event loop sees a blocked loop, while calls are out and only then. */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { processLoopStalls as stalls } from '../../../src/collect/live/loop-stalls.js';

const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

describe('processLoopStalls', () => {
  it('sees a loop blocked while a call is out: as it resumes, and after its next look', async () => {
    stalls.callStarted();
    try {
      await sleep(30);
      const from = stalls.now();
      block(400);
      const to = stalls.now();
      // Before the watch has looked again: the stall the loop is coming out of.
      expect(stalls.longestStall(from, to)).toBeGreaterThanOrEqual(300);
      await sleep(60);
      expect(stalls.longestStall(from, to)).toBeGreaterThanOrEqual(300);
      // Outside the window searched, it is not counted.
      expect(stalls.longestStall(to + 1, stalls.now())).toBeLessThan(300);
    } finally {
      stalls.callSettled();
    }
  });

  it('does not watch while no call is out', async () => {
    const from = stalls.now();
    block(400);
    const to = stalls.now();
    stalls.callStarted();
    try {
      await sleep(60);
      expect(stalls.longestStall(from, to)).toBe(0);
    } finally {
      stalls.callSettled();
    }
  });
});
