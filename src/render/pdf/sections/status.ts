/** The verdict an executive reads first: a status word in a box, the headline, completeness. */
import { box, drawText, measurer } from '../draw.js';
import { SPACE, STATUS_COLOURS, TYPE } from '../layout.js';
import { cleanText, fitsInLines, withoutLocalPaths, wrapLines } from '../text-fit.js';
import type { PageContext } from './context.js';

const BOX_WIDTH = 150;
const HEADLINE_LEADING = 15;
const COMPLETENESS_LEADING = 11.5;

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
  // Three lines of room: the headline takes two only when it needs them.
  const headline = wrapLines(cleanText(packet.headline), width, 2, measurer(doc, TYPE.headline));
  headline.forEach((line, i) => drawText(doc, line, x, y + 3 + i * HEADLINE_LEADING, TYPE.headline, { width }));
  const top = y + 3 + headline.length * HEADLINE_LEADING + 4;
  const lines = completenessLines(ctx, width, 3 - headline.length);
  lines.forEach((line, i) => drawText(doc, line, x, top + i * COMPLETENESS_LEADING, TYPE.completeness, { width }));
  return y + statusHeight();
}

/**
 * The completeness sentence whole if it fits, else as many whole items ("; "-separated, after the
 * lead "Evidence incomplete:") as fit, then how many more: what is missing is never cut mid-name.
 * The packet's sentence names a few resources and counts the rest ("and 9,997 more (workbook sheet
 * Summary)"); the page's count is of every resource not named, from the packet's missing items.
 */
function completenessLines(ctx: PageContext, width: number, maxLines: number): string[] {
  const measure = measurer(ctx.doc, TYPE.completeness);
  const text = cleanText(withoutLocalPaths(ctx.packet.completeness.text));
  if (fitsInLines(text, width, maxLines, measure)) return wrapLines(text, width, maxLines, measure);
  const colon = text.indexOf(': ');
  const lead = colon >= 0 ? text.slice(0, colon + 2) : '';
  const items = (colon >= 0 ? text.slice(colon + 2) : text).split('; ');
  // One item per resource ("<scope> (<source>: <reason>)"), then the packet's own count of the others
  // when there are more: the page counts every resource it does not name itself.
  const scopes = [...new Set(ctx.packet.completeness.missing.map((m) => cleanText(withoutLocalPaths(m.scope))))];
  const groups = items.filter((item) => scopes.some((scope) => item.startsWith(`${scope} (`)));
  const endsWithCount =
    groups.length > 0 && groups.length === items.length - 1 && groups.every((g, i) => g === items[i]);
  const named = endsWithCount ? groups : items;
  const total = endsWithCount ? Math.max(scopes.length, named.length) : items.length;
  for (let shown = total > named.length ? named.length : named.length - 1; shown >= 0; shown--) {
    const more = ctx.t('status.completenessMore', { count: total - shown });
    const candidate = cleanText(lead + [...named.slice(0, shown), more].join('; '));
    if (fitsInLines(candidate, width, maxLines, measure)) return wrapLines(candidate, width, maxLines, measure);
  }
  return wrapLines(text, width, maxLines, measure);
}

export function statusHeight(): number {
  return SPACE.statusHeight + SPACE.afterStatus;
}
