/**
 * How many control and finding rows the page has room for. Findings give way first (down to 3),
 * then controls (down to 4), then findings again (down to 1): a cut list always ends with
 * "and N more", so shortening is honest; overflowing the page is not.
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
): RowBudget {
  let controlRows = Math.min(counts.controls, MAX_CONTROL_ROWS);
  let findingRows = Math.min(counts.findings, topFindings);
  const fits = () =>
    heights.controls(counts.controls, controlRows) + heights.findings(counts.findings, findingRows) <= available;
  while (!fits()) {
    if (findingRows > 3) findingRows--;
    else if (controlRows > 4) controlRows--;
    else if (findingRows > 1) findingRows--;
    else if (controlRows > 1) controlRows--;
    else
      throw new Error(`one-page layout: ${available.toFixed(1)} pt left is not enough for one control and one finding`);
  }
  return { controlRows, findingRows };
}
