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
  it('cuts findings to 3 first, then controls to 4', () => {
    // 12 controls + 6 findings need 40 + 180 = 220. 190 fits 12 + 3; 160 fits 9 + 3; 110 fits 4 + 3.
    expect(allocateRows(190, { controls: 12, findings: 6 }, 6, heights)).toEqual({ controlRows: 12, findingRows: 3 });
    expect(allocateRows(160, { controls: 12, findings: 6 }, 6, heights)).toEqual({ controlRows: 9, findingRows: 3 });
    expect(allocateRows(110, { controls: 12, findings: 6 }, 6, heights)).toEqual({ controlRows: 4, findingRows: 3 });
    expect(allocateRows(90, { controls: 12, findings: 6 }, 6, heights)).toEqual({ controlRows: 4, findingRows: 1 });
  });
  it('throws rather than overflow the page', () => {
    expect(() => allocateRows(50, { controls: 12, findings: 6 }, 6, heights)).toThrow(/not enough/);
  });
});
