/** The verdict an executive reads first: a status word in a box, the headline, completeness. */
import { box, drawText, measurer } from '../draw.js';
import { SPACE, STATUS_COLOURS, TYPE } from '../layout.js';
import { toWinAnsi, wrapLines } from '../text-fit.js';
import type { PageContext } from './context.js';

const BOX_WIDTH = 150;

export function drawStatus(ctx: PageContext, y: number): number {
  const { doc, packet, geometry: g } = ctx;
  const h = SPACE.statusHeight;
  const colours = STATUS_COLOURS[packet.status];
  box(doc, g.left, y, BOX_WIDTH, h, { fill: colours.fill, stroke: colours.border, lineWidth: 1.5, radius: 3 });
  const inner = BOX_WIDTH - 24;
  drawText(doc, ctx.t('status.label'), g.left + 12, y + 10, TYPE.statusLabel, { width: inner });
  drawText(doc, ctx.t(`status.${packet.status}`), g.left + 12, y + 22, TYPE.statusWord, { width: inner });

  const x = g.left + BOX_WIDTH + 16;
  const width = g.right - x;
  drawText(doc, packet.headline, x, y + 4, TYPE.headline, { width });
  const lines = wrapLines(toWinAnsi(packet.completeness.text), width, 2, measurer(doc, TYPE.completeness));
  lines.forEach((line, i) => drawText(doc, line, x, y + 24 + i * 12, TYPE.completeness, { width }));
  return y + h + SPACE.afterStatus;
}
