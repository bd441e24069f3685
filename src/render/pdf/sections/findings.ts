/** Top findings in packet order, then "and M more" pointing at the workbook. */
import type { Finding } from '../../../model/packet.js';
import type { Severity } from '../../../model/shared.js';
import { drawText, fitted, measurer, type Doc } from '../draw.js';
import { columns, PALETTE, SPACE, TYPE, type TextStyle } from '../layout.js';
import { cleanText } from '../text-fit.js';
import type { PageContext } from './context.js';
import { drawHeading } from './heading.js';

const SEVERITY_COLOUR: Record<Severity, string> = {
  critical: PALETTE.fail,
  high: PALETTE.fail,
  medium: PALETTE.warn,
  low: PALETTE.neutral,
  info: PALETTE.neutral,
};

/** At most this share of the line goes to the resource name before the rest of the sentence. */
const NAME_SHARE = 0.45;

/**
 * The finding sentence fitted to one line. When it starts with its resource name (the usual
 * "bucket: what is wrong"), the name is shortened in the middle so the sentence stays readable.
 */
function findingLine(doc: Doc, finding: Finding, style: TextStyle, width: number): string {
  const text = cleanText(finding.text);
  const name = cleanText(finding.resource);
  const measure = measurer(doc, style);
  if (measure(text) <= width || !name || !text.startsWith(name)) return fitted(doc, text, style, width);
  const shortName = fitted(doc, name, style, Math.min(measure(name), width * NAME_SHARE), 'middle');
  const rest = text.slice(name.length);
  return shortName + fitted(doc, rest, style, width - measure(shortName));
}

export function findingsHeight(count: number, maxRows: number): number {
  const rows = Math.min(count, maxRows);
  const more = count > maxRows || count === 0 ? SPACE.moreLine : 0;
  return SPACE.headingHeight + rows * SPACE.findingRow + more + SPACE.afterSection;
}

export function drawFindings(ctx: PageContext, y: number, maxRows: number): number {
  const { doc, packet, geometry: g } = ctx;
  const findings = packet.findings;
  const shown = findings.slice(0, maxRows);
  y = drawHeading(
    ctx,
    y,
    ctx.t('findings.heading'),
    ctx.t('findings.note', { shown: shown.length, total: findings.length }),
  );
  if (findings.length === 0) {
    drawText(doc, ctx.t('findings.none'), g.left + 4, y + 2, TYPE.more, { width: g.contentWidth });
    return y + SPACE.moreLine + SPACE.afterSection;
  }
  const [num, sev, text] = columns(g.left + 4, g.contentWidth - 4, [14, 44, g.contentWidth - 70], 6);
  if (!num || !sev || !text) throw new Error('findings list needs three columns');
  shown.forEach((f, i) => {
    const rowY = y + i * SPACE.findingRow + 2;
    drawText(
      doc,
      String(i + 1),
      num.x,
      rowY,
      { ...TYPE.cell, color: PALETTE.muted },
      { width: num.width, align: 'right' },
    );
    drawText(
      doc,
      ctx.t(`severity.${f.severity}`),
      sev.x,
      rowY,
      { ...TYPE.cellBold, color: SEVERITY_COLOUR[f.severity] },
      { width: sev.width },
    );
    drawText(doc, findingLine(doc, f, TYPE.cell, text.width), text.x, rowY, TYPE.cell, { width: text.width });
  });
  y += shown.length * SPACE.findingRow;
  if (findings.length > shown.length) {
    drawText(doc, ctx.t('findings.more', { count: findings.length - shown.length }), text.x, y + 3, TYPE.more, {
      width: text.width,
    });
    y += SPACE.moreLine;
  }
  return y + SPACE.afterSection;
}
