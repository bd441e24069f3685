import type { LoopStalls } from '../../src/collect/live/loop-stalls.js';

/**
 * A process whose event loop never stalls. Tests that a hung region is given up after its first
 * round of calls use it, so the round's timeouts count as the region's own on any machine: on a
 * loaded CI host the real watch can see a stall and rightly wait for a second round.
 */
export const responsiveLoop: LoopStalls = {
  now: () => performance.now(),
  longestStall: () => 0,
  callStarted: () => undefined,
  callSettled: () => undefined,
};
