import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pointOfFile, trendPoint, TREND_GAP, vouchedPoints } from '../../../src/analyze/trend/index.js';
import { monthsEndingWith } from '../../../src/config/period.js';
import { readPacketOfMonth } from '../../../src/evidence/earlier-packets.js';
import type { TrendPoint } from '../../../src/evidence/governance-evidence.js';

const MONTHS = [
  '2025-11',
  '2025-12',
  '2026-01',
  '2026-02',
  '2026-03',
  '2026-04',
  '2026-05',
  '2026-06',
  '2026-07',
  '2026-08',
  '2026-09',
  '2026-10',
];

/** The parts of packet.json the trend reads; month i has coverage 90 + i/2 % and i % 3 failing controls. */
function packet(month: string, i: number, extra: Record<string, unknown> = {}) {
  const verdicts = [...Array<string>(i % 3).fill('fail'), 'pass', 'not_evaluated'];
  return {
    schemaVersion: 1,
    tenant: { id: 'acme', displayName: 'ACME', timeZone: 'Europe/Berlin' },
    period: { label: month },
    kpis: { objectsPct: 90 + i / 2, bytesPct: i === 0 ? null : 95 + i / 4 },
    controls: verdicts.map((verdict, n) => ({ id: `c${n}`, verdict })),
    sections: {
      deniedUploads: { state: 'not_collected', reason: 'x' },
      drift: { state: 'not_collected', reason: 'x' },
    },
    ...extra,
  };
}

/** Each of the 12 months as collect-governance reads it from disk, before any is verified. */
async function pointsOnDisk(out: string, period: string): Promise<TrendPoint[]> {
  const points: TrendPoint[] = [];
  for (const month of monthsEndingWith(period))
    points.push(pointOfFile(month, 'acme', await readPacketOfMonth(out, 'acme', month)));
  return points;
}

function writePacket(out: string, month: string, value: unknown): void {
  const dir = path.join(out, month, 'acme');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'packet.json'), typeof value === 'string' ? value : JSON.stringify(value));
}

describe('trend months', () => {
  it('lists the 12 months ending with the period, across a year boundary', () => {
    expect(monthsEndingWith('2026-10')).toEqual(MONTHS);
    expect(monthsEndingWith('2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
  });
});

describe('12-month trend with one missing month', () => {
  it('reads the packets, shows March as a gap and never fills it in', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 's3e-trend-'));
    MONTHS.forEach((m, i) => {
      if (m === '2026-03') return;
      const extra =
        m === '2026-09'
          ? {
              sections: {
                deniedUploads: { state: 'collected', total: 17 },
                drift: { state: 'compared', counts: { critical: 2, high: 0, medium: 1, low: 0, info: 0 } },
              },
            }
          : m === '2026-08'
            ? {
                sections: {
                  deniedUploads: { state: 'collected', total: 0 },
                  drift: { state: 'no_baseline', command: 'x' },
                },
              }
            : {};
      writePacket(out, m, packet(m, i, extra));
    });
    const points = await pointsOnDisk(out, '2026-10');
    expect(points.map((p) => `${p.period}:${p.state}`)).toEqual(
      MONTHS.map((m) => `${m}:${m === '2026-03' ? 'missing' : 'present'}`),
    );
    expect(points).toHaveLength(12);
    expect(
      points.map((p) => [
        p.period,
        p.state,
        p.objectsPct,
        p.bytesPct,
        p.failingControls,
        p.deniedUploads,
        p.criticalDrifts,
      ]),
    ).toEqual([
      ['2025-11', 'present', 90, null, 0, null, null],
      ['2025-12', 'present', 90.5, 95.25, 1, null, null],
      ['2026-01', 'present', 91, 95.5, 2, null, null],
      ['2026-02', 'present', 91.5, 95.75, 0, null, null],
      ['2026-03', 'missing', null, null, null, null, null],
      ['2026-04', 'present', 92.5, 96.25, 2, null, null],
      ['2026-05', 'present', 93, 96.5, 0, null, null],
      ['2026-06', 'present', 93.5, 96.75, 1, null, null],
      ['2026-07', 'present', 94, 97, 2, null, null],
      ['2026-08', 'present', 94.5, 97.25, 0, 0, null],
      ['2026-09', 'present', 95, 97.5, 1, 17, 2],
      ['2026-10', 'present', 95.5, 97.75, 2, null, null],
    ]);
  });

  it("takes a month's figures from its packet: coverage, failing controls, and null for what it did not collect", () => {
    expect(
      trendPoint('2026-10', 'acme', packet('2026-10', 11, { kpis: { objectsPct: 99.5, bytesPct: 99.9 } })),
    ).toEqual({
      period: '2026-10',
      state: 'present',
      objectsPct: 99.5,
      bytesPct: 99.9,
      deniedUploads: null,
      failingControls: 2,
      criticalDrifts: null,
    });
  });

  it('a month whose refused uploads went past the itemising limit: its itemised count, and how many more it counted', () => {
    const denied = (section: Record<string, unknown>) =>
      trendPoint('2026-10', 'acme', packet('2026-10', 11, { sections: { deniedUploads: section } }));
    expect(denied({ state: 'collected', total: 10_000, notItemised: 990_000 })).toMatchObject({
      deniedUploads: 10_000,
      deniedUploadsNotItemised: 990_000,
    });
    // Within the limit (or from a packet made before it) the point has no such field.
    expect(denied({ state: 'collected', total: 12 })).not.toHaveProperty('deniedUploadsNotItemised');
    expect(denied({ state: 'collected', total: 12 }).deniedUploads).toBe(12);
    // A count that is no positive whole number makes the packet unreadable, never a figure.
    for (const notItemised of [0, -3, 2.5, '990000'])
      expect(denied({ state: 'collected', total: 10, notItemised }).state).toBe('unreadable');
  });

  it('marks a month unreadable (not missing, not zero) when its packet.json is broken or of another tenant', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 's3e-trend-'));
    writePacket(out, '2026-09', '{"tenant":');
    writePacket(out, '2026-08', { ...packet('2026-08', 9), tenant: { id: 'globex' } });
    const points = await pointsOnDisk(out, '2026-10');
    const [aug, sep] = [points[9]!, points[10]!];
    expect([aug.state, aug.objectsPct, aug.problem]).toEqual([
      'unreadable',
      null,
      'packet.json found for 2026-08 is of tenant globex, period 2026-08',
    ]);
    expect(sep.state).toBe('unreadable');
    expect(sep.problem).toMatch(/2026-09.acme.packet\.json: not valid JSON/);
  });
});

describe('vouchedPoints: the earlier months a verified packet shows with figures and their manifest', () => {
  const sha = (c: string) => c.repeat(64);
  const present = (period: string, manifestSha256?: string) => ({
    period,
    state: 'present',
    objectsPct: 97.5,
    bytesPct: null,
    deniedUploads: 3,
    failingControls: 1,
    criticalDrifts: null,
    ...(manifestSha256 !== undefined ? { manifestSha256 } : {}),
  });
  const withTrend = (points: unknown[], state = 'collected') => ({ sections: { trend: { state, points } } });

  it('takes each earlier month with figures and a manifest sha256, as it is', () => {
    const points = [present('2026-08', sha('a')), present('2026-09', sha('b')), present('2026-10')];
    expect(vouchedPoints('2026-10', withTrend(points))).toEqual([
      present('2026-08', sha('a')),
      present('2026-09', sha('b')),
    ]);
  });

  it('leaves out gaps, points without a manifest (older packets), malformed ones and any month not before its own', () => {
    const points = [
      { period: '2026-03', state: 'missing', ...TREND_GAP },
      { ...present('2026-04'), state: 'unverified', manifestSha256: sha('c') },
      present('2026-05'),
      present('2026-06', 'not-a-sha'),
      present('2026-07', sha('A')),
      { ...present('2026-08', sha('d')), objectsPct: '97.5' },
      { ...present('2026-09', sha('e')), extra: 'field' },
      present('2026-10', sha('f')),
      present('2026-11', sha('f')),
      null,
      'text',
    ];
    expect(vouchedPoints('2026-10', withTrend(points))).toEqual([]);
  });

  it("takes up a month's count of refused uploads past its itemising limit; a malformed one is no vouched point", () => {
    const flooded = { ...present('2026-08', sha('a')), deniedUploadsNotItemised: 990_000 };
    expect(vouchedPoints('2026-10', withTrend([flooded]))).toEqual([flooded]);
    for (const bad of [0, -1, 1.5, '990000', null])
      expect(vouchedPoints('2026-10', withTrend([{ ...flooded, deniedUploadsNotItemised: bad }]))).toEqual([]);
  });

  it('a packet without a collected trend vouches for nothing', () => {
    expect(vouchedPoints('2026-10', withTrend([present('2026-09', sha('a'))], 'not_collected'))).toEqual([]);
    expect(vouchedPoints('2026-10', { sections: {} })).toEqual([]);
    expect(vouchedPoints('2026-10', null)).toEqual([]);
    expect(vouchedPoints('2026-10', [])).toEqual([]);
  });
});
