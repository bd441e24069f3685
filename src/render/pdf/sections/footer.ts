/** Footer anchored at the bottom: packet hash, how to verify, tool, page number. */
import { drawText, hline } from '../draw.js';
import { hashParts } from '../format.js';
import { PALETTE, SPACE, TYPE } from '../layout.js';
import type { PageContext } from './context.js';

export function footerTop(ctx: PageContext): number {
  return ctx.geometry.bottom - SPACE.footerHeight;
}

export function drawFooter(ctx: PageContext, packetSha256: string): void {
  const { doc, packet, geometry: g } = ctx;
  const top = footerTop(ctx);
  hline(doc, g.left, g.right, top, PALETTE.rule, 0.75);
  const pageLabel = ctx.t('footer.page', { page: 1, pages: 1 });
  const pageWidth = 60;
  const leftWidth = g.contentWidth - pageWidth - 8;
  const hash = ctx.t('footer.hash', hashParts(packetSha256));
  drawText(doc, ctx.t('footer.line', { hash, verify: ctx.t('footer.verify') }), g.left, top + 6, TYPE.footer, {
    width: leftWidth,
  });
  drawText(doc, pageLabel, g.right - pageWidth, top + 6, TYPE.footer, { width: pageWidth, align: 'right' });
  const tool = ctx.t('footer.tool', {
    tool: packet.tool.name,
    version: packet.tool.version,
    mode: ctx.t(`footer.mode.${packet.collection.mode}`),
  });
  drawText(doc, tool, g.left, top + 16, TYPE.footer, { width: leftWidth });
}
