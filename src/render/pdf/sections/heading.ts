import { drawText, hline } from '../draw.js';
import { PALETTE, SPACE, TYPE } from '../layout.js';
import type { PageContext } from './context.js';

/** A section title, an optional note after it, a rule under both. Returns the y below. */
export function drawHeading(ctx: PageContext, y: number, title: string, note?: string): number {
  const { doc, geometry: g } = ctx;
  const w = drawText(doc, title, g.left, y, TYPE.heading, { width: g.contentWidth });
  if (note) {
    const x = g.left + w + 8;
    drawText(doc, note, x, y + (TYPE.heading.size - TYPE.headingNote.size) * 0.75, TYPE.headingNote, {
      width: g.right - x,
    });
  }
  hline(doc, g.left, g.right, y + TYPE.heading.size + 3.5, PALETTE.rule, 0.75);
  return y + SPACE.headingHeight;
}
