/** The verdict an executive reads first: a status word in a box, the headline, completeness. */
import { box, drawText, measurer } from '../draw.js';
import { SPACE, STATUS_COLOURS, TYPE } from '../layout.js';
import { cleanText, fitsInLines, withoutLocalPaths, wrapLines } from '../text-fit.js';
import { missingByResource } from '../../../format/missing-by-resource.js';
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
 * The completeness sentence whole if it fits, else as many resources as fit, each whole, then how many
 * more: what is missing is never cut mid-name. The resources come from the packet's missing items
 * (missingByResource, as the packet's sentence does), so every one not named is counted.
 */
function completenessLines(ctx: PageContext, width: number, maxLines: number): string[] {
  const measure = measurer(ctx.doc, TYPE.completeness);
  const text = cleanText(withoutLocalPaths(ctx.packet.completeness.text));
  if (fitsInLines(text, width, maxLines, measure)) return wrapLines(text, width, maxLines, measure);
  const resources = missingByResource(ctx.packet.completeness.missing);
  // Only the resources whose phrases could fill the lines are worded: the same work for 4 or 10,000.
  const room = width * maxLines;
  const items: string[] = [];
  for (let used = 0, i = 0; i < resources.length && used <= room; i++) {
    const r = resources[i]!;
    const item = ctx.t('status.completenessItem', {
      scope: r.scope,
      source: r.sources.join(', '),
      reason: r.reasons.join(', '),
    });
    items.push(cleanText(withoutLocalPaths(item)));
    used += measure(items.at(-1)!);
  }
  for (let shown = items.length; shown >= 0; shown--) {
    const rest = resources.length - shown;
    const list = [...items.slice(0, shown), ...(rest > 0 ? [ctx.t('status.completenessMore', { count: rest })] : [])];
    const candidate = cleanText(ctx.t('status.completenessList', { items: list.join('; ') }));
    if (fitsInLines(candidate, width, maxLines, measure)) return wrapLines(candidate, width, maxLines, measure);
  }
  return wrapLines(text, width, maxLines, measure);
}

export function statusHeight(): number {
  return SPACE.statusHeight + SPACE.afterStatus;
}
