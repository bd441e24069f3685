/**
 * The small print an auditor checks: changes against the baseline, the exceptions register, keys,
 * key usage, denied uploads, scope, missing evidence (named), sources. A section with something to
 * say gets a row of its own; a section that was not collected (and AWS Config, until it has a
 * summary) shares a two-column grid of one cell each saying why. The trend has its chart instead.
 * A line that holds a list is cut only between whole items and then says how many it leaves out and
 * on which workbook sheet they are ("+1 more — see workbook sheet Summary"); a line that was cut takes
 * another line when the page has room for it (growDetails).
 */
import type { BucketTypeScope, Packet } from '../../../model/packet.js';
import { drawText, hline, measurer } from '../draw.js';
import { columns, PALETTE, SPACE, TYPE } from '../layout.js';
import { fitItems, fitsInLines, cleanText, withoutLocalPaths, wrapLines, type ItemLine } from '../text-fit.js';
import type { PageContext } from './context.js';
import { drawHeading } from './heading.js';
import { driftLines, exceptionLines } from './governance-lines.js';
import { deniedUploadsLines, keyUsageLines, moreOn, type Paragraph } from './log-lines.js';
import { hasTrendChart } from './trend-chart.js';
import { custodyText } from '../../key-custody-text.js';

const LABEL_WIDTH = 92;
const MISSING_LINES = 2;

interface DetailRow {
  label: string;
  lines: string[];
  /** The row given one more line per paragraph, when that shows more of it; undefined when it is already whole. */
  grow?: () => DetailRow | undefined;
}

/** A row fitted to `maxLines` by `build`, which may grow while a line more shows more of it. */
function growingRow(label: string, maxLines: number, build: (maxLines: number) => string[]): DetailRow {
  const lines = build(maxLines);
  return {
    label,
    lines,
    grow() {
      const next = build(maxLines + 1);
      return next.join('\n') === lines.join('\n') ? undefined : growingRow(label, maxLines + 1, build);
    },
  };
}

type SectionKey = keyof Packet['sections'];

/** Every later section, in the order the page and the workbook list them. */
const ALL_SECTIONS = [
  'deniedUploads',
  'keyUsage',
  'drift',
  'awsConfig',
  'exceptions',
  'trend',
] as const satisfies ReadonlyArray<SectionKey>;

interface SectionRow {
  key: SectionKey;
  /**
   * The row's paragraphs, each with at most `limit` names per list (the caller lowers `limit`
   * paragraph by paragraph until it fits). A not-collected section gives its reason instead.
   */
  lines(ctx: PageContext, limit: number): Paragraph[] | { notCollected: string };
}

/** Sections summarised on rows of their own, in page order. */
const SECTION_ROWS: readonly SectionRow[] = [
  {
    key: 'keyUsage',
    lines(ctx, limit) {
      const s = ctx.packet.sections.keyUsage;
      return s.state === 'collected' ? keyUsageLines(ctx, s, limit) : { notCollected: s.reason };
    },
  },
  {
    key: 'deniedUploads',
    lines(ctx, limit) {
      const s = ctx.packet.sections.deniedUploads;
      return s.state === 'collected' ? deniedUploadsLines(ctx, s, limit) : { notCollected: s.reason };
    },
  },
];

const NOT_COLLECTED_LINES = 2;

/** Most names per list tried first; fewer until the row fits its lines. */
const MAX_LIST_ITEMS = 3;

/** Most names a cut list words; the rest can only be counted on one or two lines. */
const CUT_ITEMS = 12;

function keysLine(ctx: PageContext): ItemLine {
  const { keys, kpis } = ctx.packet;
  const notRotating = keys
    .filter((k) => k.manager === 'CUSTOMER' && k.rotation.state === 'disabled')
    .map((k) => k.alias ?? k.reference);
  return {
    template: (list) =>
      ctx.t('details.keysValue', {
        customer: keys.filter((k) => k.manager === 'CUSTOMER').length,
        aws: keys.filter((k) => k.manager === 'AWS').length,
        unreadable: keys.filter((k) => !k.readable).length,
        rotating: kpis.keysRotating.rotating,
        rotatingTotal: kpis.keysRotating.total,
        notRotating: list,
        notRotatingCount: notRotating.length,
      }),
    items: notRotating.slice(0, CUT_ITEMS),
    total: notRotating.length,
    separator: ctx.t('details.listSeparator'),
    more: moreOn(ctx, 'keys'),
  };
}

/**
 * Keys whose material is not generated and held by AWS KMS (imported, CloudHSM, external key store),
 * one phrase each; undefined when every readable key is AWS_KMS (then the page has no custody line).
 */
function custodyLine(ctx: PageContext): ItemLine | undefined {
  const held = ctx.packet.keys.filter((k) => k.custody && k.custody.origin !== 'AWS_KMS');
  if (held.length === 0) return undefined;
  const phrase = (key: string, c?: Record<string, unknown>) => ctx.t(`details.custodyPhrase.${key}`, c);
  const items = held.slice(0, CUT_ITEMS).map((k) =>
    ctx.t('details.custodyItem', {
      key: k.alias ?? k.arn ?? k.reference,
      text: custodyText(phrase, k.custody!)
        .split(phrase('separator'))
        .filter((p) => p !== '')
        .join(phrase('separator')),
    }),
  );
  return {
    template: (list) => list,
    items,
    total: held.length,
    separator: ctx.t('details.listSeparator'),
    more: moreOn(ctx, 'keys'),
  };
}

/** One phrase per bucket type: "3 general purpose buckets", "directory buckets not listed: …", "table buckets not read". */
function typePhrases(ctx: PageContext, types: BucketTypeScope[]): string[] {
  return types.map((s) => {
    const name = ctx.t(`details.scopeTypeName.${s.type}`);
    const first = s.unlisted[0];
    return ctx.t(`details.scopeType.${s.state}`, {
      name,
      count: s.inScope,
      where: first?.where ?? '',
      reason: first ? first.reason.split(':')[0] : '',
      more: Math.max(0, s.unlisted.length - 1),
    });
  });
}

function scopeLine(ctx: PageContext): ItemLine {
  const { buckets, excludedBuckets, scope } = ctx.packet;
  const counts = {
    buckets: buckets.length,
    accounts: new Set(buckets.map((b) => b.account)).size,
    regions: new Set(buckets.map((b) => b.region)).size,
    excluded: excludedBuckets.length,
    undetermined: ctx.packet.scopeUndetermined.length,
  };
  // Packets made before bucket types were counted keep the line they were issued with.
  if (!scope) return { template: () => ctx.t('details.scopeValue', counts), items: [], separator: '', more: () => '' };
  return {
    template: (types) => ctx.t('details.scopeTypesValue', { ...counts, types }),
    items: typePhrases(ctx, scope.types),
    separator: ctx.t('details.listSeparator'),
    more: moreOn(ctx, 'buckets'),
  };
}

/**
 * As many missing-evidence items as fit, then "and N more". Each item names its scope (bucket or
 * source), the source and the reason; an item is never cut.
 */
function missingLines(ctx: PageContext, width: number, maxLines: number): string[] {
  const missing = ctx.packet.completeness.missing;
  const measure = measurer(ctx.doc, TYPE.detail);
  if (missing.length === 0) return wrapLines(cleanText(ctx.t('details.missingNone')), width, 1, measure);
  const separator = ctx.t('details.listSeparator');
  // Only the items whose joined width could fill the lines twice over are worded and tried: the
  // rest can only be counted, so the cost stays the same for ten items or ten thousand.
  const room = 2 * width * maxLines;
  const items: string[] = [];
  for (let used = 0, i = 0; i < missing.length && used <= room; i++) {
    const m = missing[i]!;
    const item = withoutLocalPaths(
      ctx.t('details.missingItem', { scope: m.scope, source: m.source, reason: m.reason }),
    );
    items.push(item);
    used += measure(cleanText(item + separator));
  }
  const line: ItemLine = {
    template: (list) => list,
    items,
    total: missing.length,
    separator,
    more: (count) => ctx.t('details.missingMore', { count }),
  };
  return fitItems(line, width, maxLines, measure);
}

/** "access logs: access logs: 883 records" reads as a stutter: the label goes when the text starts with it. */
function labelled(ctx: PageContext, labelKey: string, text: string): string {
  const label = ctx.t(labelKey);
  return text.toLowerCase().startsWith(label.toLowerCase()) ? text : ctx.t('details.sourceItem', { label, text });
}

function sourcesLine(ctx: PageContext): ItemLine {
  const s = ctx.packet.sources;
  return {
    template: (list) => list,
    items: [
      labelled(ctx, 'details.sourceInventory', s.inventory),
      labelled(ctx, 'details.sourceAccessLogs', s.accessLogs),
      labelled(ctx, 'details.sourceCloudTrail', s.cloudTrail),
    ],
    separator: ctx.t('details.sourceSeparator'),
    more: moreOn(ctx, 'sources'),
  };
}

/** `lineCap`: most lines any one paragraph may take (the compact plan allows one). */
function sectionLines(ctx: PageContext, row: SectionRow, width: number, lineCap = Infinity): string[] {
  const measure = measurer(ctx.doc, TYPE.detail);
  const capped = (paragraphs: Paragraph[] | { notCollected: string }) =>
    Array.isArray(paragraphs) ? paragraphs.map((p) => ({ ...p, maxLines: Math.min(p.maxLines, lineCap) })) : paragraphs;
  const first = capped(row.lines(ctx, MAX_LIST_ITEMS));
  if (!Array.isArray(first)) {
    return wrapLines(
      cleanText(ctx.t('later.notCollected', { reason: first.notCollected })),
      width,
      NOT_COLLECTED_LINES,
      measure,
    );
  }
  // Short paragraphs share one line ("744 calls to 2 keys · no unexpected principal · no key-management event").
  const joined = cleanText(first.map((p) => p.text).join(ctx.t('details.paragraphSeparator')));
  if (first.length > 1 && measure(joined) <= width) return [joined];
  const paragraphAt = (limit: number, i: number): Paragraph => {
    const paragraphs = capped(row.lines(ctx, limit));
    return (Array.isArray(paragraphs) ? paragraphs[i] : undefined) ?? { text: '', maxLines: 1 };
  };
  return first.flatMap((_, i) => {
    for (let limit = MAX_LIST_ITEMS; limit >= 1; limit--) {
      const p = paragraphAt(limit, i);
      const text = cleanText(p.text);
      if (fitsInLines(text, width, p.maxLines, measure)) return wrapLines(text, width, p.maxLines, measure);
    }
    // Not even one name per list fits: cut between the paragraph's whole items, saying how many are left out.
    const p = paragraphAt(1, i);
    return p.cut
      ? fitItems(p.cut, width, p.maxLines, measure)
      : wrapLines(cleanText(p.text), width, p.maxLines, measure);
  });
}

/** Sheet of the workbook that lists what a section's row leaves out. */
const SECTION_SHEET: Partial<Record<SectionKey, string>> = { keyUsage: 'keyUsage', deniedUploads: 'deniedUploads' };

/**
 * A section's paragraphs on one line (the lean plan), one name per list, cut between whole paragraphs:
 * "19 distinct requests refused (…): acme-web-assets 14 · +1 more — see workbook sheet Denied uploads".
 */
function sectionLine(ctx: PageContext, row: SectionRow, width: number): string[] {
  const paragraphs = row.lines(ctx, 1);
  if (!Array.isArray(paragraphs)) return sectionLines(ctx, row, width, 1);
  const line: ItemLine = {
    template: (list) => list,
    items: paragraphs.map((p) => p.text),
    separator: ctx.t('details.paragraphSeparator'),
    more: moreOn(ctx, SECTION_SHEET[row.key] ?? 'sources'),
  };
  return fitItems(line, width, 1, measurer(ctx.doc, TYPE.detail));
}

/** Drift and exceptions rows, when the packet has them (not collected: a grid cell instead). */
function governanceRows(ctx: PageContext, width: number, compact: boolean, lean: boolean): DetailRow[] {
  const { drift, exceptions } = ctx.packet.sections;
  const rows: DetailRow[] = [];
  if (drift.state !== 'not_collected')
    rows.push({ label: ctx.t('later.drift'), lines: driftLines(ctx, drift, width, compact) });
  if (exceptions.state !== 'not_collected')
    rows.push({ label: ctx.t('later.exceptions'), lines: exceptionLines(ctx, exceptions, width, compact, lean) });
  return rows;
}

/** Sections shown as one grid cell each: those without a row or chart of their own on this page. */
function gridSections(ctx: PageContext): SectionKey[] {
  const { sections } = ctx.packet;
  return ALL_SECTIONS.filter((key) => {
    if (SECTION_ROWS.some((row) => row.key === key)) return false;
    if (key === 'drift' || key === 'exceptions') return sections[key].state === 'not_collected';
    if (key === 'trend') return !hasTrendChart(ctx);
    return true;
  });
}

function custodyRows(ctx: PageContext, fit: (line: ItemLine, maxLines: number) => string[]): DetailRow[] {
  const line = custodyLine(ctx);
  return line === undefined ? [] : [growingRow(ctx.t('details.custody'), 1, (n) => fit(line, n))];
}

export interface DetailsPlan {
  rows: DetailRow[];
  grid: SectionKey[];
  /** Line pitch: SPACE.detailRow, a little less when compact. */
  leading: number;
}

/** Leading of the compact plan: 8 pt text still clears its neighbours at 11.5 pt. */
const COMPACT_LEADING = 11.5;

/**
 * What the small print says. `compact` is for a full page: each log paragraph, the sources and
 * the exceptions state keep to one line and drift names one item, so the controls and the top
 * findings keep their rows. Missing evidence keeps its two lines either way. Rows that were cut take
 * lines back when the page has room (growDetails).
 */
export function planDetails(ctx: PageContext, compact = false, lean = false): DetailsPlan {
  const width = ctx.geometry.contentWidth - LABEL_WIDTH;
  const measure = measurer(ctx.doc, TYPE.detail);
  const wrap = (text: string, maxLines: number) => wrapLines(cleanText(text), width, maxLines, measure);
  const fit = (line: ItemLine, maxLines: number) => fitItems(line, width, maxLines, measure);
  const keys = keysLine(ctx);
  const scope = scopeLine(ctx);
  const sources = sourcesLine(ctx);
  const rows: DetailRow[] = [
    ...governanceRows(ctx, width, compact, lean),
    growingRow(ctx.t('details.keys'), 1, (n) => fit(keys, n)),
    ...custodyRows(ctx, fit),
    ...SECTION_ROWS.map((row) =>
      lean
        ? growingRow(ctx.t(`later.${row.key}`), 0, (n) =>
            n === 0 ? sectionLine(ctx, row, width) : sectionLines(ctx, row, width, n),
          )
        : compact
          ? growingRow(ctx.t(`later.${row.key}`), 1, (cap) => sectionLines(ctx, row, width, cap))
          : { label: ctx.t(`later.${row.key}`), lines: sectionLines(ctx, row, width) },
    ),
    growingRow(ctx.t('details.scope'), ctx.packet.scope ? 2 : 1, (n) => fit(scope, n)),
    growingRow(ctx.t('details.missing'), MISSING_LINES, (n) => missingLines(ctx, width, n)),
    growingRow(ctx.t('details.sources'), compact ? 1 : 2, (n) => fit(sources, n)),
  ];
  // A grid cell whose text would be cut in its half of the line gets a row of its own instead, where
  // it has the whole width and a second line: "(account 22…" told the reader nothing.
  const grid = gridSections(ctx);
  const [half] = columns(ctx.geometry.left, ctx.geometry.contentWidth, [1, 1], GRID_GAP);
  const fitsCell = (key: SectionKey) => {
    const label = ctx.t(`later.${key}`);
    const labelWidth = Math.min(measurer(ctx.doc, TYPE.detailLabel)(cleanText(label)), (half?.width ?? 0) / 2);
    const room = (half?.width ?? 0) - labelWidth - 5;
    return measurer(ctx.doc, TYPE.detail)(cleanText(laterText(ctx, ctx.packet.sections[key]))) <= room;
  };
  const ownRows = grid
    .filter((key) => !fitsCell(key))
    .map((key) => growingRow(ctx.t(`later.${key}`), 2, (n) => wrap(laterText(ctx, ctx.packet.sections[key]), n)));
  return {
    rows: [...rows, ...ownRows],
    grid: grid.filter(fitsCell),
    leading: compact ? COMPACT_LEADING : SPACE.detailRow,
  };
}

/** Until a section has a row of its own, its cell names its state (e.g. "no baseline") and points to the workbook. */
function laterText(ctx: PageContext, section: Packet['sections'][SectionKey]): string {
  if (section.state === 'not_collected') return ctx.t('later.notCollected', { reason: section.reason });
  const config = ctx.packet.sections.awsConfig;
  if (section === config && config.state === 'collected') return ctx.t('later.awsConfigSummary', config.counts);
  const trend = ctx.packet.sections.trend;
  if (section === trend && trend.state === 'collected') {
    // Off the page the chart's gaps must still be seen: an unverified or unreadable month is named here.
    const count = (state: string) => trend.points.filter((pt) => pt.state === state).length;
    return ctx.t('later.trendSummary', {
      months: trend.points.length,
      present: count('present'),
      unverified: count('unverified'),
      unreadable: count('unreadable'),
    });
  }
  return ctx.t('later.otherState', { state: section.state.replace(/_/g, ' ') });
}

const LATER_COLUMNS = 2;
const GRID_GAP = 16;
const gridRows = (plan: DetailsPlan) => Math.ceil(plan.grid.length / LATER_COLUMNS);

/**
 * The plan with the rows that were cut given more lines while `spare` points of the page are free:
 * free space is used before anything is left out. Each step grows the row that costs the fewest
 * lines (the first on the page among equals), so one long row does not take the room of several.
 */
export function growDetails(plan: DetailsPlan, spare: number): DetailsPlan {
  const lines = (row: DetailRow) => Math.max(1, row.lines.length);
  const rows = [...plan.rows];
  let left = spare;
  for (;;) {
    let best: { at: number; row: DetailRow; cost: number; had: number } | undefined;
    // The cheapest growth first; at equal cost, the row with the fewest lines: a row cut to one line
    // (sources shown only as "+3 more") is given its second line before another row its fourth.
    rows.forEach((row, at) => {
      const next = row.grow?.();
      if (!next) return;
      const cost = (lines(next) - lines(row)) * plan.leading;
      const had = lines(row);
      if (cost <= 0 || cost > left + 0.01) return;
      if (!best || cost < best.cost || (cost === best.cost && had < best.had)) best = { at, row: next, cost, had };
    });
    if (!best) return { ...plan, rows };
    rows[best.at] = best.row;
    left -= best.cost;
  }
}

export function detailsHeight(plan: DetailsPlan): number {
  const lines = plan.rows.reduce((n, r) => n + Math.max(1, r.lines.length), 0);
  const grid = plan.grid.length > 0 ? gridRows(plan) * plan.leading + 6 : 0;
  return SPACE.headingHeight + lines * plan.leading + grid + SPACE.afterSection;
}

export function drawDetails(ctx: PageContext, y: number, plan: DetailsPlan): number {
  const { rows } = plan;
  const { doc, packet, geometry: g } = ctx;
  y = drawHeading(ctx, y, ctx.t('details.heading'));
  for (const row of rows) {
    drawText(doc, row.label, g.left, y, TYPE.detailLabel, { width: LABEL_WIDTH - 6 });
    row.lines.forEach((line, i) =>
      drawText(doc, line, g.left + LABEL_WIDTH, y + i * plan.leading, TYPE.detail, {
        width: g.contentWidth - LABEL_WIDTH,
      }),
    );
    y += Math.max(1, row.lines.length) * plan.leading;
  }
  if (plan.grid.length === 0) return y + SPACE.afterSection;
  hline(doc, g.left, g.right, y + 1, PALETTE.hairline, 0.5);
  y += 6;
  const cols = columns(
    g.left,
    g.contentWidth,
    Array.from({ length: LATER_COLUMNS }, () => 1),
    GRID_GAP,
  );
  plan.grid.forEach((key, i) => {
    const col = cols[i % LATER_COLUMNS];
    if (!col) return;
    const rowY = y + Math.floor(i / LATER_COLUMNS) * plan.leading;
    const label = ctx.t(`later.${key}`);
    const labelWidth = Math.min(measurer(doc, TYPE.detailLabel)(cleanText(label)), col.width / 2);
    drawText(doc, label, col.x, rowY, TYPE.detailLabel, { width: labelWidth });
    const x = col.x + labelWidth + 5;
    drawText(
      doc,
      laterText(ctx, packet.sections[key]),
      x,
      rowY,
      { ...TYPE.detail, color: PALETTE.muted },
      { width: col.x + col.width - x },
    );
  });
  return y + gridRows(plan) * plan.leading + SPACE.afterSection;
}
