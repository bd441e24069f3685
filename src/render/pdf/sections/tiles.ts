/**
 * Five KPI tiles: each figure with its denominator or unit, "—" where there is no data. Key
 * rotation has no tile of its own: a sixth tile leaves each label about 61 pt on A4 against the
 * 68-79 pt the labels need, so rotation is read on the Keys line and the controls table instead.
 */
import { DENIAL_REASONS } from '../../../model/log-sections.js';
import { BASELINE, box, drawText, measurer, type Doc } from '../draw.js';
import { formatMonth, formatPercent } from '../format.js';
import { columns, PALETTE, SPACE, TYPE, type TextStyle } from '../layout.js';
import { fitEnd, fitsInLines, cleanText, wrapLines } from '../text-fit.js';
import { countDelta, percentDelta, previousPoint, type Delta } from '../trend-model.js';
import type { PageContext } from './context.js';
import { hasTrendChart } from './trend-chart.js';

const PAD = 9;
const NOTE_LEADING = 8.5;
/** Values never shrink below this share of their size; past it they are cut with an ellipsis. */
const MIN_SCALE = 0.45;

/**
 * A note is a sentence (word-wrapped), sentences from the fullest to the shortest (the first that fits
 * whole is shown), or a list whose items are never split across lines.
 */
type Note = string | { choices: string[] } | { items: string[]; separator: string };

type TileBody =
  | { kind: 'value'; value: string; unit?: string; note: Note }
  | { kind: 'pairs'; pairs: Array<{ label: string; value: string }>; note: Note };

/** A month-over-month change: a triangle drawn as a shape, and words that say the same. */
interface TileDelta {
  text: string;
  direction: Delta['direction'];
  colour: string;
}

interface Tile {
  label: string;
  body: TileBody;
  delta?: TileDelta;
}

/** Coverage going up is good news, down is bad; colour only reinforces the sign and the triangle. */
const COVERAGE_COLOUR: Record<Delta['direction'], string> = {
  up: PALETTE.pass,
  down: PALETTE.fail,
  same: PALETTE.muted,
};

function previousMonth(
  ctx: PageContext,
): { point: NonNullable<ReturnType<typeof previousPoint>>; month: string } | undefined {
  const point = previousPoint(ctx.packet.sections.trend, ctx.packet.period.label);
  if (!point) return undefined;
  return { point, month: formatMonth(point.period, ctx.t('format.trendMonth'), ctx.t('locale')) };
}

function deltaOf(
  ctx: PageContext,
  delta: Delta | null,
  key: 'tiles.delta' | 'tiles.countDelta',
  month: string,
  colours: Record<Delta['direction'], string>,
): TileDelta | undefined {
  if (!delta) return undefined;
  return {
    text: ctx.t(`${key}.${delta.direction}`, { delta: delta.magnitude, month }),
    direction: delta.direction,
    colour: colours[delta.direction],
  };
}

/**
 * Why a coverage tile has no figure: no bucket measured, each reason counted ("none measured: 1 report
 * unreadable, 1 not configured"), never "no inventory" for a report that exists but could not be read;
 * or measured buckets that hold no object.
 */
function noFigureNote(ctx: PageContext): Note {
  if (ctx.packet.coverage.measuredBuckets > 0) return ctx.t('tiles.noObjects');
  const counts = new Map<string, number>();
  for (const b of ctx.packet.buckets) {
    const c = b.coverage;
    if (c.state === 'measured') continue;
    const why = c.state === 'unverified' ? 'unreadable' : (c.cause ?? 'unknown');
    counts.set(why, (counts.get(why) ?? 0) + 1);
  }
  const reasons = [...counts].map(([why, n]) => ctx.t(`tiles.notMeasuredReason.${why}`, { n }));
  const separator = ctx.t('tiles.notMeasuredSeparator');
  const sentence = ctx.t('tiles.notMeasured', { reasons: reasons.join(separator) });
  if (reasons.length === 0) return ctx.t('tiles.noBuckets');
  // The reasons alone, each whole, when the sentence does not fit the two lines.
  return { choices: [sentence, reasons.join(separator)] };
}

function percentTile(ctx: PageContext, label: string, pct: number | null, note: Note): Tile {
  const value = formatPercent(pct);
  if (value === null) return { label, body: { kind: 'value', value: ctx.t('tiles.noValue'), note: noFigureNote(ctx) } };
  return { label, body: { kind: 'value', value, unit: ctx.t('tiles.percentUnit'), note } };
}

function fractionTile(ctx: PageContext, label: string, n: number, total: number, note: string): Tile {
  return {
    label,
    body: {
      kind: 'value',
      value: ctx.t('tiles.fractionValue', { n }),
      unit: ctx.t('tiles.fractionUnit', { total }),
      note,
    },
  };
}

/** The month's merged count, split by reason; "—" and "not collected" when the logs were not read. */
function deniedUploadsTile(ctx: PageContext): Tile {
  const label = ctx.t('tiles.deniedUploads');
  const s = ctx.packet.sections.deniedUploads;
  if (s.state !== 'collected')
    return { label, body: { kind: 'value', value: ctx.t('tiles.noValue'), note: ctx.t('tiles.deniedNotCollected') } };
  const reasons = DENIAL_REASONS.filter((r) => s.byReason[r] > 0).map((r) =>
    ctx.t(`tiles.deniedReason.${r}`, { n: s.byReason[r] }),
  );
  if (s.notItemised) {
    // The reasons cover only the itemised uploads: the tile says how many more there were instead.
    return {
      label,
      body: {
        kind: 'value',
        value: ctx.t('tiles.deniedAtLeast', { n: s.total }),
        unit: ctx.t('tiles.deniedUnit'),
        note: ctx.t('tiles.deniedNotItemised', { n: s.notItemised }),
      },
    };
  }
  const note =
    reasons.length > 0
      ? { items: reasons, separator: ctx.t('tiles.deniedReasonSeparator') }
      : ctx.t('tiles.deniedNone');
  return {
    label,
    body: { kind: 'value', value: ctx.t('tiles.fractionValue', { n: s.total }), unit: ctx.t('tiles.deniedUnit'), note },
  };
}

/**
 * What a tile's figure covers, on a packet whose evidence is incomplete: "of 2 measured buckets; 1 not
 * measured" under a coverage figure, "1 not read" under a bucket count, so 100 % never stands for all.
 */
function coverageNote(ctx: PageContext): Note {
  const { measuredBuckets, totalBuckets } = ctx.packet.coverage;
  if (measuredBuckets >= totalBuckets || measuredBuckets === 0) return ctx.packet.kpis.coverageBasis;
  const counts = { measured: measuredBuckets, missing: totalBuckets - measuredBuckets, total: totalBuckets };
  return { choices: [ctx.t('tiles.coveragePartial', counts), ctx.t('tiles.coveragePartialShort', counts)] };
}

function defaultEncryptionNote(ctx: PageContext): string {
  const missing = ctx.packet.buckets.filter((b) => b.defaultEncryption.state === 'unreadable').length;
  return missing > 0 ? ctx.t('tiles.defaultEncryptionPartial', { missing }) : ctx.t('tiles.defaultEncryptionNote');
}

function guardrailsNote(ctx: PageContext): string {
  const missing = ctx.packet.buckets.filter(
    (b) => b.sseEnforcement.level === 'unknown' || b.tlsEnforcement.level === 'unknown',
  ).length;
  return missing > 0 ? ctx.t('tiles.guardrailsPartial', { missing }) : ctx.t('tiles.guardrailsNote');
}

/** The five tiles, in reading order, with deltas against the previous month where its packet was read. */
function tilesFor(ctx: PageContext): Tile[] {
  const k = ctx.packet.kpis;
  const basis = coverageNote(ctx);
  const prev = previousMonth(ctx);
  const withDelta = (tile: Tile, delta: TileDelta | undefined): Tile => (delta ? { ...tile, delta } : tile);
  const pct = (current: number | null, previous: number | null | undefined) =>
    prev
      ? deltaOf(ctx, percentDelta(current, previous ?? null), 'tiles.delta', prev.month, COVERAGE_COLOUR)
      : undefined;
  const denied = ctx.packet.sections.deniedUploads;
  const neutral = { up: PALETTE.muted, down: PALETTE.muted, same: PALETTE.muted };
  // Either month's count past its itemising limit makes its figure a floor: no difference of floors is shown.
  const deniedDelta =
    prev && denied.state === 'collected' && !denied.notItemised && !prev.point.deniedUploadsNotItemised
      ? deltaOf(ctx, countDelta(denied.total, prev.point.deniedUploads), 'tiles.countDelta', prev.month, neutral)
      : undefined;
  return [
    withDelta(percentTile(ctx, ctx.t('tiles.objects'), k.objectsPct, basis), pct(k.objectsPct, prev?.point.objectsPct)),
    withDelta(percentTile(ctx, ctx.t('tiles.bytes'), k.bytesPct, basis), pct(k.bytesPct, prev?.point.bytesPct)),
    fractionTile(
      ctx,
      ctx.t('tiles.defaultEncryption'),
      k.defaultEncryption.enabled,
      k.defaultEncryption.total,
      defaultEncryptionNote(ctx),
    ),
    {
      label: ctx.t('tiles.guardrails'),
      body: {
        kind: 'pairs',
        pairs: [
          {
            label: ctx.t('tiles.sse'),
            value: ctx.t('tiles.fraction', { n: k.sseEnforced.yes, total: k.sseEnforced.total }),
          },
          {
            label: ctx.t('tiles.tls'),
            value: ctx.t('tiles.fraction', { n: k.tlsEnforced.yes, total: k.tlsEnforced.total }),
          },
        ],
        note: guardrailsNote(ctx),
      },
    },
    withDelta(deniedUploadsTile(ctx), deniedDelta),
  ];
}

/** Items packed greedily, whole, into at most `maxLines` lines; what is left ends the last line, cut. */
function packItems(
  items: string[],
  separator: string,
  width: number,
  maxLines: number,
  measure: (s: string) => number,
): string[] {
  const lines: string[] = [];
  let current = '';
  for (const [i, item] of items.entries()) {
    const candidate = current ? current + separator.trimEnd() + ' ' + item : item;
    if (!current || measure(candidate) <= width) {
      current = candidate;
      continue;
    }
    if (lines.length === maxLines - 1) {
      lines.push(fitEnd(current + separator.trimEnd() + ' ' + items.slice(i).join(separator), width, measure));
      return lines;
    }
    lines.push(current);
    current = item;
  }
  if (current) lines.push(fitEnd(current, width, measure));
  return lines;
}

function noteLines(doc: Doc, note: Note, width: number): string[] {
  const measure = measurer(doc, TYPE.tileNote);
  if (typeof note === 'string') return wrapLines(cleanText(note), width, 2, measure);
  if ('choices' in note) {
    const whole = note.choices.map(cleanText).find((c) => fitsInLines(c, width, 2, measure));
    return wrapLines(whole ?? cleanText(note.choices.at(-1) ?? ''), width, 2, measure);
  }
  return packItems(note.items.map(cleanText), cleanText(note.separator), width, 2, measure);
}

function scaled(style: TextStyle, scale: number): TextStyle {
  return { ...style, size: style.size * scale };
}

/** Value and unit share one baseline and shrink together until both fit the tile. */
function drawValue(
  doc: Doc,
  body: Extract<TileBody, { kind: 'value' }>,
  x: number,
  baseline: number,
  width: number,
): void {
  const gap = 3;
  // +0.5: headroom so float rounding never makes the fitted unit one hair too wide.
  const natural =
    0.5 +
    measurer(doc, TYPE.tileValue)(cleanText(body.value)) +
    (body.unit ? gap + measurer(doc, TYPE.tileUnit)(cleanText(body.unit)) : 0);
  const scale = Math.max(MIN_SCALE, Math.min(1, width / natural));
  const valueStyle = scaled(TYPE.tileValue, scale);
  const drawn = drawText(doc, body.value, x, baseline - BASELINE * valueStyle.size, valueStyle, { width });
  if (!body.unit) return;
  const unitStyle = scaled(TYPE.tileUnit, scale);
  const unitX = x + drawn + gap * scale;
  if (x + width - unitX > 0)
    drawText(doc, body.unit, unitX, baseline - BASELINE * unitStyle.size, unitStyle, { width: x + width - unitX });
}

function drawPairs(
  doc: Doc,
  pairs: Array<{ label: string; value: string }>,
  x: number,
  y: number,
  width: number,
): void {
  const labelWidth = Math.max(...pairs.map((p) => measurer(doc, TYPE.tilePairLabel)(cleanText(p.label)))) + 5;
  const valueWidth = width - labelWidth;
  const natural = 0.5 + Math.max(...pairs.map((p) => measurer(doc, TYPE.tilePair)(cleanText(p.value))));
  const style = scaled(TYPE.tilePair, Math.max(MIN_SCALE, Math.min(1, valueWidth / natural)));
  pairs.forEach((p, i) => {
    const baseline = y + i * 14 + BASELINE * TYPE.tilePair.size;
    drawText(doc, p.label, x, baseline - BASELINE * TYPE.tilePairLabel.size, TYPE.tilePairLabel, { width: labelWidth });
    drawText(doc, p.value, x + labelWidth, baseline - BASELINE * style.size, style, { width: valueWidth });
  });
}

const TRIANGLE = 5;

/** A filled triangle pointing up or down, its box `TRIANGLE` wide with its top at y; nothing for "same". */
function drawTriangle(doc: Doc, x: number, y: number, direction: Delta['direction'], colour: string): number {
  if (direction === 'same') return 0;
  const h = TRIANGLE * 0.85;
  doc.save();
  if (direction === 'up') doc.polygon([x, y + h], [x + TRIANGLE, y + h], [x + TRIANGLE / 2, y]);
  else doc.polygon([x, y], [x + TRIANGLE, y], [x + TRIANGLE / 2, y + h]);
  doc.fill(colour).restore();
  return TRIANGLE + 2.5;
}

/** Top of the delta line, under the value's baseline. */
const DELTA_TOP = 41;

function drawDelta(doc: Doc, delta: TileDelta, x: number, y: number, width: number): void {
  const style = { ...TYPE.tileDelta, color: delta.colour };
  const shift = drawTriangle(doc, x, y + 1, delta.direction, delta.colour);
  drawText(doc, delta.text, x + shift, y, style, { width: width - shift });
}

export function drawTiles(ctx: PageContext, y: number): number {
  const { doc, geometry: g } = ctx;
  const h = SPACE.tileHeight;
  const cols = columns(g.left, g.contentWidth, [1, 1, 1, 1, 1], SPACE.tileGap);
  tilesFor(ctx).forEach((tile, i) => {
    const col = cols[i];
    if (!col) return;
    box(doc, col.x, y, col.width, h, { fill: PALETTE.tileFill, stroke: PALETTE.hairline, lineWidth: 0.75, radius: 3 });
    const x = col.x + PAD;
    const w = col.width - 2 * PAD;
    drawText(doc, tile.label, x, y + PAD, TYPE.tileLabel, { width: w });
    if (tile.body.kind === 'value') drawValue(doc, tile.body, x, y + 22 + BASELINE * TYPE.tileValue.size, w);
    else drawPairs(doc, tile.body.pairs, x, y + 21, w);
    if (tile.delta) drawDelta(doc, tile.delta, x, y + DELTA_TOP, w);
    // Notes may take two lines; they sit on the tile's bottom edge so values stay aligned.
    const note = noteLines(doc, tile.body.note, w);
    note.forEach((line, j) => {
      drawText(doc, line, x, y + h - PAD - TYPE.tileNote.size - (note.length - 1 - j) * NOTE_LEADING, TYPE.tileNote, {
        width: w,
      });
    });
  });
  return y + tilesHeight(ctx);
}

export function tilesHeight(ctx: PageContext): number {
  return SPACE.tileHeight + (hasTrendChart(ctx) ? SPACE.tilesToTrend : SPACE.afterTiles);
}
