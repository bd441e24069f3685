import { describe, expect, it } from 'vitest';
import { allocateRows, MAX_CONTROL_ROWS } from '../../../src/render/pdf/allocate-rows.js';

// 10 pt per row plus 20 pt of heading each: easy to count by hand.
const heights = {
  controls: (count: number, rows: number) => 20 + Math.min(count, rows) * 10,
  findings: (count: number, rows: number) => 20 + Math.min(count, rows) * 10,
};

describe('allocateRows', () => {
  it('shows everything up to the caps when there is room', () => {
    expect(allocateRows(1000, { controls: 5, findings: 20 }, 6, heights)).toEqual({ controlRows: 5, findingRows: 6 });
    expect(allocateRows(1000, { controls: 40, findings: 2 }, 6, heights)).toEqual({
      controlRows: MAX_CONTROL_ROWS,
      findingRows: 2,
    });
  });
  it('cuts the other controls first (down to 4), then findings, never a FAIL or NOT EVALUATED control', () => {
    // 12 controls + 6 findings need 140 + 80 = 220. 190 fits 9 + 6; 160 fits 6 + 6; at 110 the controls stop
    // at 4 (60) and findings take 50 (3 rows); at 90, 4 + 1.
    expect(allocateRows(190, { controls: 12, findings: 6 }, 6, heights)).toEqual({ controlRows: 9, findingRows: 6 });
    expect(allocateRows(160, { controls: 12, findings: 6 }, 6, heights)).toEqual({ controlRows: 6, findingRows: 6 });
    expect(allocateRows(110, { controls: 12, findings: 6 }, 6, heights)).toEqual({ controlRows: 4, findingRows: 3 });
    expect(allocateRows(90, { controls: 12, findings: 6 }, 6, heights)).toEqual({ controlRows: 4, findingRows: 1 });
    // Seven controls must show: 160 leaves 160 - 90 = 70 for findings, 5 rows; 100 leaves 10 below one row's 30,
    // so the must-show controls stay and the page cannot be laid out.
    expect(allocateRows(160, { controls: 12, findings: 6 }, 6, heights, 7)).toEqual({ controlRows: 7, findingRows: 5 });
    expect(() => allocateRows(100, { controls: 12, findings: 6 }, 6, heights, 7)).toThrow(/not enough/);
  });
  it('throws rather than overflow the page', () => {
    expect(() => allocateRows(50, { controls: 12, findings: 6 }, 6, heights)).toThrow(/not enough/);
  });
});
