/**
 * Numbers behind the trend chart and the month-over-month deltas, kept apart from drawing so they
 * can be tested by hand: which month is "previous", how a delta is rounded, which y-axis range
 * is honest for the values shown.
 */
import type { TrendSection } from '../../model/governance-sections.js';
import type { TrendPoint } from '../../model/governance-sections.js';

type Direction = 'up' | 'down' | 'same';

export interface Delta {
  direction: Direction;
  /** The size of the change, formatted; "<0.001" when it is real but below the shown precision. */
  magnitude: string;
}

/**
 * The previous month's point, when the trend holds one that a packet was read for: the point
 * just before the packet's own month (the trend's last). Undefined for a gap or an unreadable month.
 */
export function previousPoint(trend: TrendSection, period: string): TrendPoint | undefined {
  if (trend.state !== 'collected') return undefined;
  const last = trend.points[trend.points.length - 1];
  const prev = trend.points[trend.points.length - 2];
  if (!last || last.period !== period || !prev || prev.state !== 'present') return undefined;
  return prev;
}

/**
 * A change of a coverage percentage in percentage points, with the precision the tiles use: three
 * decimals when either value is at or above 99.9 (where 99.98 vs 99.99 matters), else one.
 */
export function percentDelta(current: number | null, previous: number | null): Delta | null {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous)) return null;
  const decimals = current >= 99.9 || previous >= 99.9 ? 3 : 1;
  return delta(current - previous, decimals);
}

/** A change of a count. */
export function countDelta(current: number | null, previous: number | null): Delta | null {
  if (current === null || previous === null) return null;
  return delta(current - previous, 0);
}

function delta(difference: number, decimals: number): Delta {
  // Differences of binary fractions carry noise (99.982 - 99.972 = 0.010000000000005116).
  if (Math.abs(difference) < 1e-9) return { direction: 'same', magnitude: (0).toFixed(decimals) };
  const scale = 10 ** decimals;
  const rounded = Math.round(Math.abs(difference) * scale + 1e-7) / scale;
  const direction = difference > 0 ? 'up' : 'down';
  if (rounded === 0) return { direction, magnitude: `<${(1 / scale).toFixed(decimals)}` };
  return { direction, magnitude: rounded.toFixed(decimals) };
}

/**
 * Lower ends the y-axis may start at, tightest first. The axis always ends at 100 % and its
 * range is printed on the chart, so a zoomed axis is stated, never implied.
 */
const AXIS_FLOORS = [99.9, 99, 95, 90, 75, 50, 0] as const;

/** The tightest axis [floor, 100] that holds every value; null when there is no value. */
export function axisRange(values: number[]): { min: number; max: number } | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const lowest = Math.min(...finite);
  const floor = AXIS_FLOORS.find((f) => lowest >= f) ?? 0;
  return { min: floor, max: 100 };
}

/** Where a value sits between the axis ends: 0 at the floor, 1 at the top (clamped). */
export function axisPosition(value: number, axis: { min: number; max: number }): number {
  if (axis.max === axis.min) return 1;
  return Math.min(1, Math.max(0, (value - axis.min) / (axis.max - axis.min)));
}

/**
 * Runs of consecutive months that have a value: the chart draws a line within a run and never
 * across a gap. Each run lists slot indexes.
 */
export function presentRuns(values: Array<number | null>): number[][] {
  const runs: number[][] = [];
  let current: number[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 0) runs.push(current);
      current = [];
    } else current.push(i);
  });
  if (current.length > 0) runs.push(current);
  return runs;
}
