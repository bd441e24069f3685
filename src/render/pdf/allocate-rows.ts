/**
 * How many control and finding rows the page has room for, by importance: every FAIL and NOT
 * EVALUATED control (`mustShowControls`) is never cut; findings come next; the other controls
 * (passing, excepted, not applicable) give way first, down to 4 rows, then findings down to 1, then
 * those controls down to the FAIL and NOT EVALUATED ones. A cut list always ends with "and N more",
 * so shortening is honest; overflowing the page is not.
 */
export interface RowBudget {
  controlRows: number;
  findingRows: number;
}

export interface RowHeights {
  controls(count: number, maxRows: number): number;
  findings(count: number, maxRows: number): number;
}

export const MAX_CONTROL_ROWS = 12;

export function allocateRows(
  available: number,
  counts: { controls: number; findings: number },
  topFindings: number,
  heights: RowHeights,
  mustShowControls = 0,
): RowBudget {
  const floor = Math.max(1, mustShowControls);
  let controlRows = Math.max(Math.min(counts.controls, MAX_CONTROL_ROWS), Math.min(counts.controls, mustShowControls));
  let findingRows = Math.min(counts.findings, topFindings);
  const fits = () =>
    heights.controls(counts.controls, controlRows) + heights.findings(counts.findings, findingRows) <= available;
  const keepControls = Math.max(floor, Math.min(4, controlRows));
  while (!fits()) {
    if (controlRows > keepControls) controlRows--;
    else if (findingRows > 1) findingRows--;
    else if (controlRows > floor) controlRows--;
    else
      throw new Error(`one-page layout: ${available.toFixed(1)} pt left is not enough for one control and one finding`);
  }
  return { controlRows, findingRows };
}
