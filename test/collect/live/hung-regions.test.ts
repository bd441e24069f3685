/**
 * When a call that found nothing answering gives its region up: on a responsive process, at once,
 * unless the service answered something else there meanwhile; after a stall of this process's own
 * event loop, only when a call sent after that one also finds nothing answering. Times are virtual.
 */
import { describe, expect, it } from 'vitest';
import { HungRegionJudge } from '../../../src/collect/live/hung-regions.js';
import type { LoopStalls } from '../../../src/collect/live/loop-stalls.js';

const TIMEOUT_MS = 2000;
const timeout = Object.assign(new Error('a request has exceeded the configured 2000 ms requestTimeout'), {
  name: 'TimeoutError',
  code: 'ETIMEDOUT',
});
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });

/** A virtual clock and the stalls a test says the loop had. */
function virtualLoop() {
  let t = 0;
  const stalls: Array<{ from: number; to: number }> = [];
  const loop: LoopStalls = {
    now: () => t,
    longestStall: (from, to) => Math.max(0, ...stalls.map((s) => Math.min(s.to, to) - Math.max(s.from, from))),
    callStarted: () => undefined,
    callSettled: () => undefined,
  };
  return {
    loop,
    at: (ms: number) => (t = ms),
    stall: (from: number, to: number) => stalls.push({ from, to }),
  };
}

describe('HungRegionJudge', () => {
  it('gives a region up at its first timeout when the loop ran and nothing answered there', () => {
    const v = virtualLoop();
    const judge = new HungRegionJudge(v.loop, TIMEOUT_MS);
    // Three attempts of 2 s from t=0; a 60 ms turn is ordinary work, not a stall.
    v.stall(5000, 5060);
    v.at(6000);
    expect(judge.isHung('s3', 'eu-west-1', 0, timeout)).toBe(true);
  });

  it('a refused connection gives the region up even after a stall', () => {
    const v = virtualLoop();
    const judge = new HungRegionJudge(v.loop, TIMEOUT_MS);
    v.stall(100, 1500);
    v.at(1600);
    expect(judge.isHung('s3', 'eu-west-1', 0, refused)).toBe(true);
  });

  it('not when the same service answered in that region while the call was out: that one call was slow', () => {
    const v = virtualLoop();
    const judge = new HungRegionJudge(v.loop, TIMEOUT_MS);
    v.at(3000);
    judge.answered('s3', 'eu-west-1');
    v.at(6000);
    expect(judge.isHung('s3', 'eu-west-1', 0, timeout)).toBe(false);
    // An answer before the call went out, or from another service, says nothing about this call.
    judge.answered('kms', 'eu-west-1');
    v.at(12_000);
    expect(judge.isHung('s3', 'eu-west-1', 6000, timeout)).toBe(true);
  });

  it('a timeout after a stall of this process is suspect: the calls out during it do not give the region up', () => {
    const v = virtualLoop();
    const judge = new HungRegionJudge(v.loop, TIMEOUT_MS);
    // The loop stood still 1.8 s; every call out then timed out as it resumed.
    v.stall(4400, 6200);
    v.at(6200);
    expect(judge.isHung('s3', 'us-east-1', 0, timeout)).toBe(false);
    expect(judge.isHung('s3', 'us-east-1', 100, timeout)).toBe(false);
    expect(judge.isHung('s3', 'us-east-1', 4000, timeout)).toBe(false);
    // A stall before the last attempt began is not searched (the attempt had its full 2 s after it).
    v.at(20_000);
    expect(judge.isHung('s3', 'eu-west-1', 10_000, timeout)).toBe(true);
  });

  it('a call sent after a suspect timeout that also finds nothing answering gives the region up', () => {
    const v = virtualLoop();
    const judge = new HungRegionJudge(v.loop, TIMEOUT_MS);
    v.stall(4400, 6200);
    v.at(6200);
    expect(judge.isHung('config', 'eu-west-1', 0, timeout)).toBe(false);
    // The next call went out at 6.3 s; the loop stalled again in its last attempt.
    v.stall(11_000, 12_500);
    v.at(12_500);
    expect(judge.isHung('config', 'eu-west-1', 6300, timeout)).toBe(true);
  });

  it('an answer in between clears the suspicion', () => {
    const v = virtualLoop();
    const judge = new HungRegionJudge(v.loop, TIMEOUT_MS);
    v.stall(4400, 6200);
    v.at(6200);
    expect(judge.isHung('s3', 'us-east-1', 0, timeout)).toBe(false);
    v.at(6300);
    judge.answered('s3', 'us-east-1');
    // Another stall times out a call sent after the answer: suspect again, not hung.
    v.stall(9000, 11_000);
    v.at(11_000);
    expect(judge.isHung('s3', 'us-east-1', 6400, timeout)).toBe(false);
  });

  it('without a known timeout, searches the whole call for a stall', () => {
    const v = virtualLoop();
    const judge = new HungRegionJudge(v.loop);
    v.stall(500, 700);
    v.at(6000);
    expect(judge.isHung('s3', 'us-east-1', 0, timeout)).toBe(false);
    v.at(12_000);
    expect(judge.isHung('s3', 'us-east-1', 6000, timeout)).toBe(true);
  });
});
