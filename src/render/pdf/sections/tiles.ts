/** Five KPI tiles: each figure with its denominator or unit, "—" where there is no data. */
import { box, drawText, fitted, measurer, type Doc } from '../draw.js';
import { formatPercent } from '../format.js';
import { columns, PALETTE, SPACE, TYPE, type TextStyle } from '../layout.js';
import { toWinAnsi, wrapLines } from '../text-fit.js';
import type { PageContext } from './context.js';

const PAD = 9;
const NOTE_LEADING = 8.5;

type TileBody =
  | { kind: 'value'; value: string; unit?: string; note: string }
  | { kind: 'pairs'; pairs: Array<{ label: string; value: string }>; note: string };

interface Tile {
  label: string;
  body: TileBody;
}

function percentTile(ctx: PageContext, label: string, pct: number | null, note: string): Tile {
  const value = formatPercent(pct);
  if (value === null) return { label, body: { kind: 'value', value: ctx.t('tiles.noValue'), note: ctx.t('tiles.noInventory') } };
  return { label, body: { kind: 'value', value, unit: ctx.t('tiles.percentUnit'), note } };
}

function fraction(ctx: PageContext, n: number, total: number): string {
  return ctx.t('tiles.fraction', { n, total });
}

export function tilesFor(ctx: PageContext): Tile[] {
  const k = ctx.packet.kpis;
  return [
    percentTile(ctx, ctx.t('tiles.objects'), k.objectsPct, k.coverageBasis),
    percentTile(ctx, ctx.t('tiles.bytes'), k.bytesPct, k.coverageBasis),
    {
      label: ctx.t('tiles.defaultEncryption'),
      body: { kind: 'value', value: fraction(ctx, k.defaultEncryption.enabled, k.defaultEncryption.total), note: ctx.t('tiles.defaultEncryptionNote') },
    },
    {
      label: ctx.t('tiles.guardrails'),
      body: {
        kind: 'pairs',
        pairs: [
          { label: ctx.t('tiles.sse'), value: fraction(ctx, k.sseEnforced.yes, k.sseEnforced.total) },
          { label: ctx.t('tiles.tls'), value: fraction(ctx, k.tlsEnforced.yes, k.tlsEnforced.total) },
        ],
        note: ctx.t('tiles.guardrailsNote'),
      },
    },
    {
      label: ctx.t('tiles.keys'),
      body: { kind: 'value', value: fraction(ctx, k.keysRotating.rotating, k.keysRotating.total), note: ctx.t('tiles.keysNote') },
    },
  ];
}

/** The largest size not above style.size (down to 60 %) at which `text` fits `width`. */
function shrinkToFit(doc: Doc, text: string, style: TextStyle, width: number): TextStyle {
  for (let size = style.size; size >= style.size * 0.6; size -= 0.5) {
    const s = { ...style, size };
    if (measurer(doc, s)(text) <= width) return s;
  }
  return { ...style, size: style.size * 0.6 };
}

function drawValue(doc: Doc, body: Extract<TileBody, { kind: 'value' }>, x: number, y: number, width: number): void {
  const unitGap = 3;
  const unitWidth = body.unit ? measurer(doc, TYPE.tileUnit)(body.unit) + unitGap : 0;
  const style = shrinkToFit(doc, body.value, TYPE.tileValue, width - unitWidth);
  const drawn = drawText(doc, body.value, x, y + (TYPE.tileValue.size - style.size) * 0.8, style, { width: width - unitWidth });
  if (body.unit) drawText(doc, body.unit, x + drawn + unitGap, y + 6.5, TYPE.tileUnit, { width: unitWidth });
}

function drawPairs(doc: Doc, pairs: Array<{ label: string; value: string }>, x: number, y: number, width: number): void {
  const labelWidth = Math.max(...pairs.map((p) => measurer(doc, TYPE.tilePairLabel)(p.label))) + 5;
  pairs.forEach((p, i) => {
    const rowY = y + i * 13;
    drawText(doc, p.label, x, rowY + 2.5, TYPE.tilePairLabel, { width: labelWidth });
    const valueWidth = width - labelWidth;
    const style = shrinkToFit(doc, p.value, TYPE.tilePair, valueWidth);
    drawText(doc, p.value, x + labelWidth, rowY, style, { width: valueWidth });
  });
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
    drawText(doc, fitted(doc, tile.label, TYPE.tileLabel, w), x, y + PAD, TYPE.tileLabel, { width: w });
    if (tile.body.kind === 'value') drawValue(doc, tile.body, x, y + 23, w);
    else drawPairs(doc, tile.body.pairs, x, y + 21, w);
    // Notes may take two lines; they sit on the tile's bottom edge so values stay aligned.
    const note = wrapLines(toWinAnsi(tile.body.note), w, 2, measurer(doc, TYPE.tileNote));
    note.forEach((line, j) => {
      drawText(doc, line, x, y + h - PAD - TYPE.tileNote.size - (note.length - 1 - j) * NOTE_LEADING, TYPE.tileNote, { width: w });
    });
  });
  return y + h + SPACE.afterTiles;
}
