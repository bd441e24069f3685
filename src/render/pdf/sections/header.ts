/** Who, what and when: tenant, period with its zone, operator, generation time, schema version. */
import { BASELINE, drawText, measurer } from '../draw.js';
import { formatInstant } from '../format.js';
import { SPACE, TYPE } from '../layout.js';
import { fitInto, fitsInLines, cleanText, wrapLines } from '../text-fit.js';
import type { PageContext } from './context.js';

const LOGO_BOX = 34;
const LOGO_GAP = 10;
const MAX_RIGHT_BLOCK = 200;
const GUTTER = 16;
/** A 108-character tenant name fits A4 whole at this share of the title size. */
const MIN_TITLE_SCALE = 0.55;

/** Draws the header with its top at y; returns the y below it. */
export function drawHeader(ctx: PageContext, y: number, logoPath?: string): number {
  const { doc, packet, geometry: g } = ctx;
  const locale = ctx.t('locale');
  let x = g.left;
  if (logoPath) {
    doc.image(logoPath, g.left, y, { fit: [LOGO_BOX, LOGO_BOX], align: 'center', valign: 'center' });
    x += LOGO_BOX + LOGO_GAP;
  }
  // The period block on the right takes what it needs (up to a cap); the title gets the rest.
  const month = formatInstant(packet.period.startUtc, packet.period.timeZone, ctx.t('format.month'), locale);
  const period = cleanText(ctx.t('header.period', { month }));
  const zone = cleanText(ctx.t('header.zone', { zone: packet.period.timeZone }));
  const rightWidth = Math.min(
    MAX_RIGHT_BLOCK,
    Math.max(measurer(doc, TYPE.period)(period), measurer(doc, TYPE.byline)(zone)),
  );
  const leftWidth = g.right - rightWidth - GUTTER - x;
  // Long tenant and operator names give way; the fixed wording, time and schema never do.
  // A long tenant name shrinks the title (down to MIN_TITLE_SCALE) before anything is cut.
  const fullTitle = cleanText(ctx.t('header.title', { tenant: packet.tenant.displayName }));
  const twoLines = twoLineTitle(ctx, fullTitle, leftWidth);
  if (twoLines) {
    twoLines.lines.forEach((line, i) =>
      drawText(doc, line, x, y + i * TWO_LINE_PITCH, twoLines.style, { width: leftWidth }),
    );
  } else {
    const scale = Math.max(MIN_TITLE_SCALE, Math.min(1, leftWidth / measurer(doc, TYPE.title)(fullTitle)));
    const titleStyle = { ...TYPE.title, size: TYPE.title.size * scale };
    const title = fitInto(
      (tenant) => cleanText(ctx.t('header.title', { tenant })),
      cleanText(packet.tenant.displayName),
      leftWidth,
      measurer(doc, titleStyle),
      'end',
    );
    // Smaller type sits lower, on the full-size title's baseline.
    drawText(doc, title, x, y + 1 + BASELINE * (TYPE.title.size - titleStyle.size), titleStyle, { width: leftWidth });
  }
  const generated = formatInstant(packet.generatedAt, packet.tenant.timeZone, ctx.t('format.dateTime'), locale);
  const byline = fitInto(
    (operator) => cleanText(ctx.t('header.byline', { operator, generated, schema: packet.schemaVersion })),
    cleanText(packet.operator),
    leftWidth,
    measurer(doc, TYPE.byline),
    'end',
  );
  drawText(doc, byline, x, y + 24, TYPE.byline, { width: leftWidth });

  const rightX = g.right - rightWidth;
  drawText(doc, period, rightX, y + 2, TYPE.period, { width: rightWidth, align: 'right' });
  drawText(doc, zone, rightX, y + 24, TYPE.byline, { width: rightWidth, align: 'right' });
  return y + headerHeight();
}

/** Two title lines share the 22 pt above the byline. */
const TWO_LINE_PITCH = 11;
const TWO_LINE_SIZES = [10, 9.5, 9, 8.5, 8];

/**
 * A title too long for one line at MIN_TITLE_SCALE takes two lines at the largest size (10 pt down
 * to 8 pt) that holds it whole: a tenant's name is never cut while it can be read whole. Undefined
 * when one line will do, or when not even two 8 pt lines hold it (then one line gives way at its end).
 */
function twoLineTitle(
  ctx: PageContext,
  title: string,
  width: number,
): { lines: string[]; style: typeof TYPE.title } | undefined {
  if (measurer(ctx.doc, TYPE.title)(title) * MIN_TITLE_SCALE <= width) return undefined;
  for (const size of TWO_LINE_SIZES) {
    const style = { ...TYPE.title, size };
    const measure = measurer(ctx.doc, style);
    if (fitsInLines(title, width, 2, measure)) return { lines: wrapLines(title, width, 2, measure), style };
  }
  return undefined;
}

export function headerHeight(): number {
  return LOGO_BOX + SPACE.afterHeader;
}
