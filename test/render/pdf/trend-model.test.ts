import { describe, expect, it } from 'vitest';
import type { TrendSection } from '../../../src/model/governance-sections.js';
import type { TrendPoint } from '../../../src/evidence/governance-evidence.js';
import {
  axisPosition,
  axisRange,
  countDelta,
  percentDelta,
  presentRuns,
  previousPoint,
} from '../../../src/render/pdf/trend-model.js';

const point = (period: string, state: TrendPoint['state'], objectsPct: number | null = null): TrendPoint => ({
  period,
  state,
  objectsPct,
  bytesPct: null,
  deniedUploads: null,
  failingControls: null,
  criticalDrifts: null,
});

describe('percentDelta', () => {
  it('uses three decimals at or above 99.9 and absorbs binary noise', () => {
    // 99.982 - 99.972 is 0.010000000000005116 in floating point.
    expect(percentDelta(99.982, 99.972)).toEqual({ direction: 'up', magnitude: '0.010' });
    expect(percentDelta(99.9, 99.91)).toEqual({ direction: 'down', magnitude: '0.010' });
  });
  it('uses one decimal below 99.9 on both sides', () => {
    expect(percentDelta(98.9, 98.7)).toEqual({ direction: 'up', magnitude: '0.2' });
    expect(percentDelta(97.5, 98.1)).toEqual({ direction: 'down', magnitude: '0.6' });
  });
  it('says "<0.001" for a real change below the shown precision, and "same" only for none', () => {
    expect(percentDelta(99.9996, 99.9992)).toEqual({ direction: 'up', magnitude: '<0.001' });
    expect(percentDelta(100, 100)).toEqual({ direction: 'same', magnitude: '0.000' });
  });
  it('gives nothing when either month has no figure', () => {
    expect(percentDelta(null, 99)).toBeNull();
    expect(percentDelta(99, null)).toBeNull();
  });
});

describe('countDelta', () => {
  it('counts up, down and same', () => {
    expect(countDelta(17, 12)).toEqual({ direction: 'up', magnitude: '5' });
    expect(countDelta(3, 40)).toEqual({ direction: 'down', magnitude: '37' });
    expect(countDelta(19, 19)).toEqual({ direction: 'same', magnitude: '0' });
    expect(countDelta(4, null)).toBeNull();
  });
});

describe('previousPoint', () => {
  const trend = (points: TrendPoint[]): TrendSection => ({ state: 'collected', points });
  it("is the month before the packet's own, when its packet was read", () => {
    const sep = point('2026-09', 'present', 99.5);
    expect(previousPoint(trend([point('2026-08', 'missing'), sep, point('2026-10', 'present', 99.6)]), '2026-10')).toBe(
      sep,
    );
  });
  it('is undefined after a gap or an unreadable month, or when the trend ends elsewhere', () => {
    expect(
      previousPoint(trend([point('2026-09', 'missing'), point('2026-10', 'present', 99)]), '2026-10'),
    ).toBeUndefined();
    expect(
      previousPoint(trend([point('2026-09', 'unreadable'), point('2026-10', 'present', 99)]), '2026-10'),
    ).toBeUndefined();
    expect(
      previousPoint(trend([point('2026-08', 'present', 99), point('2026-09', 'present', 99)]), '2026-10'),
    ).toBeUndefined();
    expect(previousPoint({ state: 'not_collected', reason: 'x' }, '2026-10')).toBeUndefined();
  });
});

describe('axisRange and axisPosition', () => {
  it('starts the axis at the tightest fixed floor that holds every value, ending at 100', () => {
    expect(axisRange([99.95, 100])).toEqual({ min: 99.9, max: 100 });
    expect(axisRange([99.2, 99.982])).toEqual({ min: 99, max: 100 });
    expect(axisRange([97.5, 99.982])).toEqual({ min: 95, max: 100 });
    expect(axisRange([62, 99])).toEqual({ min: 50, max: 100 });
    expect(axisRange([3])).toEqual({ min: 0, max: 100 });
    expect(axisRange([])).toBeNull();
  });
  it('places a value between the ends', () => {
    expect(axisPosition(97.5, { min: 95, max: 100 })).toBeCloseTo(0.5, 10);
    expect(axisPosition(100, { min: 95, max: 100 })).toBe(1);
    expect(axisPosition(95, { min: 95, max: 100 })).toBe(0);
  });
});

describe('presentRuns', () => {
  it('splits the months at every gap so no line crosses one', () => {
    expect(presentRuns([1, 2, null, 3, 4, null, null, 5])).toEqual([[0, 1], [3, 4], [7]]);
    expect(presentRuns([null, null])).toEqual([]);
  });
});
