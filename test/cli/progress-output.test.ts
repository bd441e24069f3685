import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseProgressMode, progressOutput } from '../../src/cli/progress-output.js';
import type { ProgressEvent } from '../../src/pipeline/progress.js';

function capture(isTTY: boolean): { stream: Writable & { isTTY: boolean }; text: () => string } {
  let out = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString('utf8');
        done();
      },
    }),
    { isTTY, columns: 120 },
  );
  return { stream, text: () => out };
}

const ev = (e: Partial<ProgressEvent> & Pick<ProgressEvent, 'phase' | 'state'>): ProgressEvent => ({
  tenant: 'acme',
  period: '2026-10',
  ...e,
});

describe('progressOutput', () => {
  it('auto: nothing when stderr is not a terminal (cron), bars when it is', () => {
    expect(progressOutput('auto', { stream: capture(false).stream })).toBeUndefined();
    expect(progressOutput('none', { stream: capture(true).stream })).toBeUndefined();
    const tty = progressOutput('auto', { stream: capture(true).stream });
    expect(tty).toBeDefined();
    tty!.close();
  });

  it('json: one line per change with its time; updates within the interval dropped, starts and ends kept; counts merged', () => {
    const { stream, text } = capture(false);
    let t = Date.parse('2026-11-01T06:00:00.000Z');
    const out = progressOutput('json', { stream, now: () => new Date(t), intervalMs: 1000 })!;
    out.sink(ev({ phase: 'inventory', state: 'start', done: 1, total: 3 }));
    t += 200;
    out.sink(ev({ phase: 'inventory', state: 'update', bytes: 4096 })); // within 1 s of the last line: dropped
    t += 1000;
    out.sink(ev({ phase: 'inventory', state: 'update', bytes: 8192 }));
    t += 100;
    out.sink(ev({ phase: 'inventory', state: 'end', done: 3 }));
    out.close();
    expect(
      text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      {
        time: '2026-11-01T06:00:00.000Z',
        event: 'progress',
        tenant: 'acme',
        period: '2026-10',
        phase: 'inventory',
        state: 'start',
        done: 1,
        total: 3,
      },
      {
        time: '2026-11-01T06:00:01.200Z',
        event: 'progress',
        tenant: 'acme',
        period: '2026-10',
        phase: 'inventory',
        state: 'update',
        done: 1,
        total: 3,
        bytes: 8192,
      },
      {
        time: '2026-11-01T06:00:01.300Z',
        event: 'progress',
        tenant: 'acme',
        period: '2026-10',
        phase: 'inventory',
        state: 'end',
        done: 3,
        total: 3,
        bytes: 8192,
      },
    ]);
  });

  it('tty: a bar per phase with its counts; a phase without a total fills when it ends', () => {
    const { stream, text } = capture(true);
    const out = progressOutput('tty', { stream })!;
    out.sink(ev({ phase: 'buckets', state: 'start', done: 1, total: 4 }));
    out.sink(ev({ phase: 'buckets', state: 'end', done: 4, total: 4 }));
    out.sink(ev({ phase: 'logs', state: 'start' }));
    out.sink(ev({ phase: 'logs', state: 'end', done: 155, bytes: 581_555 }));
    out.close();
    const shown = text();
    expect(shown).toMatch(/acme 2026-10 buckets +\[█{24}\] 4\/4 buckets, done/);
    expect(shown).toMatch(/acme 2026-10 logs +\[█{24}\] 155 files, 581\.6 KB, done/);
  });

  it('--progress takes only the four modes', () => {
    expect(parseProgressMode('json')).toBe('json');
    expect(() => parseProgressMode('bars')).toThrow('--progress "bars" is not one of auto, tty, json, none');
  });
});
