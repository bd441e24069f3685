/**
 * The 12-month trend under the KPI tiles: objects-encrypted coverage as a line of dots (each with
 * its value, so the chart reads without the axis), then failing controls, denied uploads and
 * critical changes as rows of numbers under the same months. A month without a packet is a blank
 * slot saying so: no line crosses it and nothing is interpolated. The y-axis ends at 100 % and
 * starts at the tightest of a few fixed floors; both ends are labelled on the chart.
 */
import type { TrendPoint } from '../../../model/governance-sections.js';
import { box, drawText, hline } from '../draw.js';
import { formatMonth, formatPercent } from '../format.js';
import { PALETTE, SPACE, TYPE, type TextStyle } from '../layout.js';
import { axisPosition, axisRange, presentRuns } from '../trend-model.js';
import type { PageContext } from './context.js';

const LABEL_WIDTH = 92;
const PAD_X = 9;
const PAD_TOP = 6;
const CAPTION = 10;
/** Headroom above the highest dot for its value label. */
const VALUE_ROOM = 8.5;
const PLOT = 22;
const BELOW_PLOT = 4;
const MONTHS = 9;
const ROW = 8.5;
const PAD_BOTTOM = 3.5;
const DOT = 1.7;

type RowKey = 'failingControls' | 'deniedUploads' | 'criticalDrifts';
const ROWS: readonly RowKey[] = ['failingControls', 'deniedUploads', 'criticalDrifts'];

function pointsOf(ctx: PageContext): TrendPoint[] | undefined {
  const trend = ctx.packet.sections.trend;
  return trend.state === 'collected' && trend.points.length > 0 ? trend.points : undefined;
}

/** Number rows with at least one value; failing controls always (every read packet has controls). */
function rowsShown(points: TrendPoint[]): RowKey[] {
  return ROWS.filter((key) => key === 'failingControls' || points.some((p) => p[key] !== null));
}

function boxHeight(points: TrendPoint[]): number {
  return PAD_TOP + CAPTION + VALUE_ROOM + PLOT + BELOW_PLOT + MONTHS + rowsShown(points).length * ROW + PAD_BOTTOM;
}

/** 0 when the packet has no trend (the small print then says why). */
export function trendHeight(ctx: PageContext): number {
  const points = ctx.withoutTrendChart ? undefined : pointsOf(ctx);
  return points ? boxHeight(points) + SPACE.afterSection : 0;
}

export function hasTrendChart(ctx: PageContext): boolean {
  return !ctx.withoutTrendChart && pointsOf(ctx) !== undefined;
}

/** Axis ends are round numbers (AXIS_FLOORS): "95", "99.9", "100". */
function axisLabel(value: number): string {
  return String(value);
}

function centred(ctx: PageContext, text: string, cx: number, y: number, style: TextStyle, width: number): void {
  drawText(ctx.doc, text, cx - width / 2, y, style, { width, align: 'center' });
}

export function drawTrend(ctx: PageContext, y: number): number {
  const points = pointsOf(ctx);
  if (!points) return y;
  const { doc, geometry: g } = ctx;
  const locale = ctx.t('locale');
  const h = boxHeight(points);
  box(doc, g.left, y, g.contentWidth, h, {
    fill: PALETTE.tileFill,
    stroke: PALETTE.hairline,
    lineWidth: 0.75,
    radius: 3,
  });

  const left = g.left + PAD_X;
  const plotLeft = g.left + LABEL_WIDTH;
  const slot = (g.right - PAD_X - plotLeft) / points.length;
  const cx = (i: number) => plotLeft + slot * (i + 0.5);
  const lastIndex = points.length - 1;

  const values = points.map((p) => (p.state === 'present' ? p.objectsPct : null));
  const axis = axisRange(values.filter((v): v is number => v !== null));

  // Caption: what is plotted and on which axis, and what a blank month means.
  let top = y + PAD_TOP;
  const titleWidth = drawText(doc, ctx.t('trend.title'), left, top, TYPE.trendTitle, { width: LABEL_WIDTH + 60 });
  const note = axis
    ? ctx.t('trend.note', { min: axisLabel(axis.min), max: axisLabel(axis.max) })
    : ctx.t('trend.noteNoCoverage');
  drawText(doc, note, left + titleWidth + 8, top, TYPE.trendNote, { width: g.right - PAD_X - (left + titleWidth + 8) });
  top += CAPTION;

  // This month's column is shaded through the plot and the rows.
  const columnBottom = y + h - PAD_BOTTOM + 1;
  box(doc, cx(lastIndex) - slot / 2, top, slot, columnBottom - top, { fill: PALETTE.zebra });

  const plotTop = top + VALUE_ROOM;
  const plotBottom = plotTop + PLOT;
  const yOf = (v: number) => (axis ? plotBottom - axisPosition(v, axis) * PLOT : plotBottom);
  drawText(doc, ctx.t('trend.objects'), left, plotTop + PLOT / 2 - TYPE.trendLabel.size / 2, TYPE.trendLabel, {
    width: LABEL_WIDTH - 34,
  });
  if (axis) {
    for (const [value, lineY] of [
      [axis.max, plotTop],
      [axis.min, plotBottom],
    ] as const) {
      hline(doc, plotLeft, g.right - PAD_X, lineY, PALETTE.hairline, 0.5);
      const label = ctx.t('trend.axis', { value: axisLabel(value) });
      drawText(doc, label, plotLeft - 32, lineY - TYPE.trendAxis.size / 2, TYPE.trendAxis, {
        width: 28,
        align: 'right',
      });
    }
    // The line joins consecutive months only: a gap breaks it.
    doc.save().lineWidth(0.9).strokeColor(PALETTE.ink);
    for (const run of presentRuns(values)) {
      if (run.length < 2) continue;
      run.forEach((i, k) => {
        const v = values[i] as number;
        if (k === 0) doc.moveTo(cx(i), yOf(v));
        else doc.lineTo(cx(i), yOf(v));
      });
      doc.stroke();
    }
    doc.restore();
  }
  points.forEach((p, i) => {
    const v = values[i];
    if (v !== null && v !== undefined) {
      doc
        .save()
        .circle(cx(i), yOf(v), i === lastIndex ? DOT + 0.6 : DOT)
        .fill(PALETTE.ink)
        .restore();
      const style = i === lastIndex ? { ...TYPE.trendValue, font: 'bold' as const } : TYPE.trendValue;
      centred(ctx, formatPercent(v) ?? '', cx(i), yOf(v) - DOT - 2 - style.size, style, slot - 2);
      return;
    }
    const gap = p.state === 'present' ? ctx.t('trend.notMeasured') : ctx.t(`trend.${p.state}`);
    centred(ctx, gap, cx(i), plotTop + PLOT / 2 - TYPE.trendGap.size / 2, TYPE.trendGap, slot - 2);
  });

  // Month labels: the year on the first month and on every January.
  let rowTop = plotBottom + BELOW_PLOT;
  points.forEach((p, i) => {
    const withYear = i === 0 || p.period.endsWith('-01');
    const label = formatMonth(p.period, ctx.t(withYear ? 'format.trendMonthYear' : 'format.trendMonth'), locale);
    centred(ctx, label, cx(i), rowTop, i === lastIndex ? TYPE.trendMonthNow : TYPE.trendMonth, slot - 2);
  });
  rowTop += MONTHS;

  // Number rows: "—" where a read month did not collect the figure; blank where there was no packet.
  for (const key of rowsShown(points)) {
    drawText(doc, ctx.t(`trend.${key}`), left, rowTop, TYPE.trendLabel, { width: LABEL_WIDTH - PAD_X - 4 });
    points.forEach((p, i) => {
      if (p.state !== 'present') return;
      const v = p[key];
      const text =
        v === null
          ? ctx.t('trend.notCollected')
          : key === 'deniedUploads' && p.deniedUploadsNotItemised
            ? ctx.t('trend.countAtLeast', { n: v })
            : ctx.t('trend.count', { n: v });
      centred(
        ctx,
        text,
        cx(i),
        rowTop,
        i === lastIndex ? { ...TYPE.trendCell, font: 'bold' } : TYPE.trendCell,
        slot - 2,
      );
    });
    rowTop += ROW;
  }
  return y + h + SPACE.afterSection;
}
