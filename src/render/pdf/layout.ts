/** Page geometry, the type scale and the palette. Every position on the page derives from here. */
import type { Weight } from './fonts.js';

export type PageSize = 'A4' | 'LETTER';

/** Points (1/72 in), portrait, as pdfkit defines them. */
const PAGE_SIZES: Record<PageSize, { width: number; height: number }> = {
  A4: { width: 595.28, height: 841.89 },
  LETTER: { width: 612, height: 792 },
};

export interface PageGeometry {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  /** Lowest y anything may reach. */
  bottom: number;
  contentWidth: number;
}

const MARGIN_X = 40;
const MARGIN_Y = 36;

export function pageGeometry(size: PageSize): PageGeometry {
  const { width, height } = PAGE_SIZES[size];
  return {
    width,
    height,
    left: MARGIN_X,
    right: width - MARGIN_X,
    top: MARGIN_Y,
    bottom: height - MARGIN_Y,
    contentWidth: width - 2 * MARGIN_X,
  };
}

export interface Column {
  x: number;
  width: number;
}

/** Splits [x, x+width] into columns by relative weights, with `gap` between neighbours. */
export function columns(x: number, width: number, weights: number[], gap: number): Column[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const usable = width - gap * (weights.length - 1);
  const out: Column[] = [];
  let cursor = x;
  for (const w of weights) {
    const colWidth = (usable * w) / total;
    out.push({ x: cursor, width: colWidth });
    cursor += colWidth + gap;
  }
  return out;
}

export interface TextStyle {
  /** Weight of the Noto faces (fonts.ts) that draw it. */
  font: Weight;
  size: number;
  color: string;
}

/** Greys and dark hues only: every colour also reads as a distinct grey on a mono printer. */
export const PALETTE = {
  ink: '#111111',
  muted: '#4d4d4d',
  faint: '#767676',
  rule: '#9a9a9a',
  hairline: '#cccccc',
  zebra: '#f2f2f2',
  tileFill: '#fafafa',
  pass: '#1b5e20',
  fail: '#b3261e',
  warn: '#7a4f00',
  neutral: '#4d4d4d',
} as const;

/** Status box fill and border: light tint behind black text, a dark border of the same hue. */
export const STATUS_COLOURS = {
  compliant: { fill: '#e3f1e4', border: PALETTE.pass },
  attention: { fill: '#fdf0cf', border: PALETTE.warn },
  incomplete: { fill: '#e6e6e6', border: '#333333' },
} as const;

/**
 * Noto Sans sets about 3 % wider than the Helvetica the layout was drawn for: every size is 3 %
 * smaller, so lines carry the same words (Noto's taller x-height still reads at least as large).
 */
const SCALE = 0.97;

function scaledType<T extends Record<string, TextStyle>>(styles: T): { [K in keyof T]: TextStyle } {
  return Object.fromEntries(
    Object.entries(styles).map(([k, v]) => [k, { ...v, size: Math.round(v.size * SCALE * 100) / 100 }]),
  ) as { [K in keyof T]: TextStyle };
}

export const TYPE = scaledType({
  title: { font: 'bold', size: 16, color: PALETTE.ink },
  period: { font: 'bold', size: 15, color: PALETTE.ink },
  byline: { font: 'regular', size: 8, color: PALETTE.muted },
  statusLabel: { font: 'bold', size: 7, color: PALETTE.muted },
  statusWord: { font: 'bold', size: 18, color: PALETTE.ink },
  headline: { font: 'bold', size: 12.5, color: PALETTE.ink },
  completeness: { font: 'regular', size: 9, color: PALETTE.ink },
  tileLabel: { font: 'bold', size: 7, color: PALETTE.muted },
  tileValue: { font: 'bold', size: 19, color: PALETTE.ink },
  tileUnit: { font: 'regular', size: 10, color: PALETTE.muted },
  tilePair: { font: 'bold', size: 12, color: PALETTE.ink },
  tilePairLabel: { font: 'regular', size: 8, color: PALETTE.muted },
  tileNote: { font: 'regular', size: 7, color: PALETTE.muted },
  tileDelta: { font: 'bold', size: 7, color: PALETTE.muted },
  trendTitle: { font: 'bold', size: 7, color: PALETTE.muted },
  trendNote: { font: 'regular', size: 7, color: PALETTE.muted },
  trendLabel: { font: 'regular', size: 7, color: PALETTE.ink },
  trendAxis: { font: 'regular', size: 6, color: PALETTE.muted },
  trendValue: { font: 'regular', size: 6, color: PALETTE.ink },
  trendGap: { font: 'italic', size: 6, color: PALETTE.faint },
  trendMonth: { font: 'regular', size: 6.5, color: PALETTE.muted },
  trendMonthNow: { font: 'bold', size: 6.5, color: PALETTE.ink },
  trendCell: { font: 'regular', size: 7, color: PALETTE.ink },
  heading: { font: 'bold', size: 10, color: PALETTE.ink },
  headingNote: { font: 'regular', size: 8, color: PALETTE.muted },
  columnHead: { font: 'bold', size: 7, color: PALETTE.muted },
  cell: { font: 'regular', size: 8.5, color: PALETTE.ink },
  cellBold: { font: 'bold', size: 8.5, color: PALETTE.ink },
  more: { font: 'italic', size: 8, color: PALETTE.muted },
  detailLabel: { font: 'bold', size: 8, color: PALETTE.ink },
  detail: { font: 'regular', size: 8, color: PALETTE.ink },
  footer: { font: 'regular', size: 7, color: PALETTE.muted },
} as const satisfies Record<string, TextStyle>);

/** Vertical rhythm, in points. */
export const SPACE = {
  afterHeader: 14,
  statusHeight: 52,
  afterStatus: 14,
  /** Room for label, value, a month-over-month delta line and a two-line note. */
  tileHeight: 78,
  tileGap: 8,
  afterTiles: 18,
  /** Tiles followed by the trend chart: the two read as one block. */
  tilesToTrend: 8,
  headingHeight: 17,
  columnHeadHeight: 13,
  controlRow: 15,
  findingRow: 14,
  moreLine: 13,
  afterSection: 14,
  detailRow: 12.5,
  footerHeight: 26,
} as const;
