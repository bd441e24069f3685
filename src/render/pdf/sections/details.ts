/**
 * The small print an auditor checks: keys, scope, missing evidence (named), sources, and one cell
 * per later section saying whether it was collected and why not.
 */
import type { Packet, SectionNotCollected } from '../../../model/packet.js';
import { drawText, hline, measurer } from '../draw.js';
import { columns, PALETTE, SPACE, TYPE } from '../layout.js';
import { fitsInLines, toWinAnsi, wrapLines, wrapWithSuffix } from '../text-fit.js';
import type { PageContext } from './context.js';
import { drawHeading } from './heading.js';

const LABEL_WIDTH = 92;
const MISSING_LINES = 2;

interface DetailRow {
  label: string;
  lines: string[];
}

export const LATER_SECTIONS = ['deniedUploads', 'keyUsage', 'drift', 'awsConfig', 'exceptions', 'trend'] as const satisfies ReadonlyArray<
  keyof Packet['sections']
>;

function keysText(ctx: PageContext): string {
  const { keys, kpis } = ctx.packet;
  const notRotating = keys
    .filter((k) => k.manager === 'CUSTOMER' && k.rotation.state === 'disabled')
    .map((k) => k.alias ?? k.reference);
  return ctx.t('details.keysValue', {
    customer: keys.filter((k) => k.manager === 'CUSTOMER').length,
    aws: keys.filter((k) => k.manager === 'AWS').length,
    unreadable: keys.filter((k) => !k.readable).length,
    rotating: kpis.keysRotating.rotating,
    rotatingTotal: kpis.keysRotating.total,
    notRotating: notRotating.join(ctx.t('details.listSeparator')),
    notRotatingCount: notRotating.length,
  });
}

function scopeText(ctx: PageContext): string {
  const { buckets, excludedBuckets } = ctx.packet;
  return ctx.t('details.scopeValue', {
    buckets: buckets.length,
    accounts: new Set(buckets.map((b) => b.account)).size,
    regions: new Set(buckets.map((b) => b.region)).size,
    excluded: excludedBuckets.length,
  });
}

/**
 * As many missing-evidence items as fit two lines, then "and N more". Each item names its scope
 * (bucket or source), the source and the reason; when even one item is too long, it is cut and
 * the "and N more" still shows.
 */
function missingLines(ctx: PageContext, width: number): string[] {
  const missing = ctx.packet.completeness.missing;
  const measure = measurer(ctx.doc, TYPE.detail);
  if (missing.length === 0) return wrapLines(toWinAnsi(ctx.t('details.missingNone')), width, 1, measure);
  const separator = ctx.t('details.listSeparator');
  const items = missing.map((m) => ctx.t('details.missingItem', { scope: m.scope, source: m.source, reason: m.reason }));
  const suffixFor = (shown: number) => (shown < items.length ? separator + ctx.t('details.missingMore', { count: items.length - shown }) : '');
  for (let shown = items.length; shown >= 1; shown--) {
    const text = toWinAnsi(items.slice(0, shown).join(separator) + suffixFor(shown));
    if (fitsInLines(text, width, MISSING_LINES, measure)) return wrapLines(text, width, MISSING_LINES, measure);
  }
  return wrapWithSuffix(toWinAnsi(items[0] ?? ''), toWinAnsi(suffixFor(1)), width, MISSING_LINES, measure);
}

function sourcesText(ctx: PageContext): string {
  const s = ctx.packet.sources;
  return ctx.t('details.sourcesValue', { inventory: s.inventory, accessLogs: s.accessLogs, cloudTrail: s.cloudTrail });
}

export function planDetails(ctx: PageContext): DetailRow[] {
  const width = ctx.geometry.contentWidth - LABEL_WIDTH;
  const wrap = (text: string, maxLines: number) => wrapLines(toWinAnsi(text), width, maxLines, measurer(ctx.doc, TYPE.detail));
  return [
    { label: ctx.t('details.keys'), lines: wrap(keysText(ctx), 1) },
    { label: ctx.t('details.scope'), lines: wrap(scopeText(ctx), 1) },
    { label: ctx.t('details.missing'), lines: missingLines(ctx, width) },
    { label: ctx.t('details.sources'), lines: wrap(sourcesText(ctx), 2) },
  ];
}

function laterText(ctx: PageContext, section: SectionNotCollected): string {
  switch (section.state) {
    case 'not_collected':
      return ctx.t('later.notCollected', { reason: section.reason });
  }
}

const LATER_COLUMNS = 2;
const laterRows = Math.ceil(LATER_SECTIONS.length / LATER_COLUMNS);

export function detailsHeight(rows: DetailRow[]): number {
  const lines = rows.reduce((n, r) => n + Math.max(1, r.lines.length), 0);
  return SPACE.headingHeight + (lines + laterRows) * SPACE.detailRow + 6 + SPACE.afterSection;
}

export function drawDetails(ctx: PageContext, y: number, rows: DetailRow[]): number {
  const { doc, packet, geometry: g } = ctx;
  y = drawHeading(ctx, y, ctx.t('details.heading'));
  for (const row of rows) {
    drawText(doc, row.label, g.left, y, TYPE.detailLabel, { width: LABEL_WIDTH - 6 });
    row.lines.forEach((line, i) => drawText(doc, line, g.left + LABEL_WIDTH, y + i * SPACE.detailRow, TYPE.detail, { width: g.contentWidth - LABEL_WIDTH }));
    y += Math.max(1, row.lines.length) * SPACE.detailRow;
  }
  hline(doc, g.left, g.right, y + 1, PALETTE.hairline, 0.5);
  y += 6;
  const cols = columns(g.left, g.contentWidth, Array.from({ length: LATER_COLUMNS }, () => 1), 16);
  LATER_SECTIONS.forEach((key, i) => {
    const col = cols[i % LATER_COLUMNS];
    if (!col) return;
    const rowY = y + Math.floor(i / LATER_COLUMNS) * SPACE.detailRow;
    const label = ctx.t(`later.${key}`);
    const labelWidth = Math.min(measurer(doc, TYPE.detailLabel)(toWinAnsi(label)), col.width / 2);
    drawText(doc, label, col.x, rowY, TYPE.detailLabel, { width: labelWidth });
    const x = col.x + labelWidth + 5;
    drawText(doc, laterText(ctx, packet.sections[key]), x, rowY, { ...TYPE.detail, color: PALETTE.muted }, { width: col.x + col.width - x });
  });
  return y + laterRows * SPACE.detailRow + SPACE.afterSection;
}
