/** Who, what and when: tenant, period with its zone, operator, generation time, schema version. */
import { drawText, measurer } from '../draw.js';
import { formatInstant } from '../format.js';
import { SPACE, TYPE } from '../layout.js';
import { fitInto, toWinAnsi } from '../text-fit.js';
import type { PageContext } from './context.js';

const LOGO_BOX = 34;
const LOGO_GAP = 10;
const RIGHT_BLOCK = 170;

/** Draws the header with its top at y; returns the y below it. */
export function drawHeader(ctx: PageContext, y: number, logoPath?: string): number {
  const { doc, packet, geometry: g } = ctx;
  const locale = ctx.t('locale');
  let x = g.left;
  if (logoPath) {
    doc.image(logoPath, g.left, y, { fit: [LOGO_BOX, LOGO_BOX], align: 'center', valign: 'center' });
    x += LOGO_BOX + LOGO_GAP;
  }
  const leftWidth = g.right - RIGHT_BLOCK - 12 - x;
  // Long tenant and operator names give way; the fixed wording, time and schema never do.
  const title = fitInto(
    (tenant) => toWinAnsi(ctx.t('header.title', { tenant })),
    toWinAnsi(packet.tenant.displayName),
    leftWidth,
    measurer(doc, TYPE.title),
    'end',
  );
  drawText(doc, title, x, y + 1, TYPE.title, { width: leftWidth });
  const generated = formatInstant(packet.generatedAt, packet.tenant.timeZone, ctx.t('format.dateTime'), locale);
  const byline = fitInto(
    (operator) => toWinAnsi(ctx.t('header.byline', { operator, generated, schema: packet.schemaVersion })),
    toWinAnsi(packet.operator),
    leftWidth,
    measurer(doc, TYPE.byline),
    'end',
  );
  drawText(doc, byline, x, y + 24, TYPE.byline, { width: leftWidth });

  const month = formatInstant(packet.period.startUtc, packet.period.timeZone, ctx.t('format.month'), locale);
  const rightX = g.right - RIGHT_BLOCK;
  drawText(doc, ctx.t('header.period', { month }), rightX, y + 2, TYPE.period, { width: RIGHT_BLOCK, align: 'right' });
  drawText(doc, ctx.t('header.zone', { zone: packet.period.timeZone }), rightX, y + 24, TYPE.byline, {
    width: RIGHT_BLOCK,
    align: 'right',
  });
  return y + Math.max(LOGO_BOX, 34) + SPACE.afterHeader;
}
