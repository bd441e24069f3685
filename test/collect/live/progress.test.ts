import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../../src/collect/live/progress.js';

function stream(isTTY: boolean) {
  const out: string[] = [];
  return { out, s: { isTTY, write: (t: string) => out.push(t) } };
}

describe('progressReporter', () => {
  it('writes JSON lines when not a TTY, at most one per interval plus each phase boundary', () => {
    const { out, s } = stream(false);
    let t = 0;
    const r = progressReporter('acme', { stream: s, now: () => t, intervalMs: 1000 });
    r.onProgress({ phase: 'buckets', account: '111111111111', done: 1, total: 3 });
    t = 500;
    r.onProgress({ phase: 'buckets', account: '111111111111', done: 2, total: 3 }); // within the interval: dropped
    t = 600;
    r.onProgress({ phase: 'buckets', account: '111111111111', done: 3, total: 3 }); // last of the phase: kept
    t = 700;
    r.onProgress({ phase: 'keys', account: '222222222222', done: 1, total: 2 });
    r.finish();
    expect(out).toEqual([
      '{"event":"progress","tenant":"acme","phase":"buckets","done":1,"total":3,"account":"111111111111"}\n',
      '{"event":"progress","tenant":"acme","phase":"buckets","done":3,"total":3,"account":"111111111111"}\n',
      '{"event":"progress","tenant":"acme","phase":"keys","done":1,"total":2,"account":"222222222222"}\n',
    ]);
  });

  it('rewrites one status line on a TTY and ends it on finish', () => {
    const { out, s } = stream(true);
    const r = progressReporter('acme', { stream: s, now: () => 0 });
    r.onProgress({ phase: 'buckets', account: '111111111111', done: 1, total: 2 });
    r.onProgress({ phase: 'buckets', account: '111111111111', done: 2, total: 2 });
    r.finish();
    expect(out).toEqual([
      '\r\x1b[2Kacme: buckets 1/2 (account 111111111111)',
      '\r\x1b[2Kacme: buckets 2/2 (account 111111111111)',
      '\n',
    ]);
  });
});
