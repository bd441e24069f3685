/**
 * growDetails hands the page's spare height to the small-print rows that were cut, a line at a time:
 * the cheapest growth first and, at equal cost, the row with the fewest lines. A 10,000-bucket page had
 * room for one more line; it went to the keys' fourth line while the sources row, cut to one line, said
 * only "+3 more — see workbook sheet Summary".
 */
import { describe, expect, it } from 'vitest';
import { growDetails, type DetailsPlan } from '../../../src/render/pdf/sections/details.js';

type Row = DetailsPlan['rows'][number];

/** A row of `whole` lines shown in `shown` of them, growing one line at a time. */
function row(label: string, shown: number, whole: number): Row {
  return {
    label,
    lines: Array.from({ length: shown }, (_, i) => `${label} ${i + 1}`),
    grow: () => (shown < whole ? row(label, shown + 1, whole) : undefined),
  };
}

const LEADING = 11.5;
const plan = (rows: Row[]): DetailsPlan => ({ rows, grid: [], leading: LEADING });
const shape = (p: DetailsPlan) => p.rows.map((r) => [r.label, r.lines.length]);

describe('growDetails', () => {
  it('gives one spare line to the one-line row, not to the earlier row already on three', () => {
    const grown = growDetails(plan([row('keys', 3, 5), row('missing', 3, 9), row('sources', 1, 2)]), LEADING);
    expect(shape(grown)).toEqual([
      ['keys', 3],
      ['missing', 3],
      ['sources', 2],
    ]);
  });

  it('spreads several spare lines evenly, earlier rows first among equals, and stops when rows are whole', () => {
    const grown = growDetails(plan([row('keys', 1, 5), row('missing', 2, 3), row('sources', 1, 2)]), 4 * LEADING);
    // keys 1→2, sources 1→2 (both had one line), then keys 2→3 and missing 2→3 (both had two).
    expect(shape(grown)).toEqual([
      ['keys', 3],
      ['missing', 3],
      ['sources', 2],
    ]);
    const all = growDetails(plan([row('keys', 1, 2), row('sources', 1, 2)]), 10 * LEADING);
    expect(shape(all)).toEqual([
      ['keys', 2],
      ['sources', 2],
    ]);
  });

  it('grows nothing without room for a line', () => {
    const rows = [row('keys', 1, 3), row('sources', 1, 2)];
    expect(shape(growDetails(plan(rows), LEADING - 1))).toEqual([
      ['keys', 1],
      ['sources', 1],
    ]);
  });
});
