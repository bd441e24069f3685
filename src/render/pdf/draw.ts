/**
 * The only place that puts text on the page. Every string is cleaned, fitted to its width and drawn
 * with lineBreak:false at an explicit position, so pdfkit never wraps a line and never adds a page
 * on its own. A line is drawn as runs of one font face each (fonts.ts), on one baseline.
 */
import { documentFonts, textWidth, type DocFonts } from './fonts.js';
import type { TextStyle } from './layout.js';
import { cleanText, fitEnd, fitMiddle, withoutLocalPaths, type Measure } from './text-fit.js';

export type Doc = PDFKit.PDFDocument;

export type Fit = 'end' | 'middle';

/**
 * A line's baseline sits this share of its font size below the line's top, whatever face draws it:
 * one baseline for Latin, CJK and Arabic runs side by side, and the positions of the original
 * Helvetica layout (its ascender, 718/1000) kept for every section.
 */
export const BASELINE = 0.718;

export interface TextOptions {
  /** Width the text must stay within; fitted with an ellipsis. */
  width: number;
  align?: 'left' | 'right' | 'center';
  fit?: Fit;
}

const fontsOf = new WeakMap<Doc, DocFonts>();

/** The document's fonts, registered with it on first use. */
function fonts(doc: Doc): DocFonts {
  let f = fontsOf.get(doc);
  if (!f) {
    f = documentFonts(doc);
    fontsOf.set(doc, f);
  }
  return f;
}

/** Widths come from the fonts' advance tables (fonts.ts), the same for every document. */
export function measurer(_doc: Doc, style: TextStyle): Measure {
  return (text) => textWidth(text, style.font) * style.size;
}

/** Cleans and fits `text`, as drawText would, without drawing it. */
export function fitted(doc: Doc, text: string, style: TextStyle, width: number, fit: Fit = 'end'): string {
  const clean = withoutLocalPaths(cleanText(text));
  const measure = measurer(doc, style);
  return fit === 'middle' ? fitMiddle(clean, width, measure) : fitEnd(clean, width, measure);
}

/**
 * Draws one line with its top at y. Returns the drawn width. `text` is fitted unless it was
 * already (fitted() output passes through unchanged).
 */
export function drawText(doc: Doc, text: string, x: number, y: number, style: TextStyle, opts: TextOptions): number {
  const line = fitted(doc, text, style, opts.width, opts.fit);
  const measure = measurer(doc, style);
  const w = measure(line);
  const dx = opts.align === 'right' ? opts.width - w : opts.align === 'center' ? (opts.width - w) / 2 : 0;
  let cursor = x + dx;
  for (const run of fonts(doc).runs(line, style.font)) {
    doc.font(run.face).fontSize(style.size).fillColor(style.color);
    doc.text(run.text, cursor, y + BASELINE * style.size, {
      lineBreak: false,
      baseline: 'alphabetic',
      // pdfkit hands `features` to fontkit, which takes an object of on/off flags as well as a list.
      features: run.features as unknown as PDFKit.Mixins.OpenTypeFeatures[],
    });
    cursor += run.width * style.size;
  }
  return w;
}

export function hline(doc: Doc, x1: number, x2: number, y: number, colour: string, width = 0.75): void {
  doc.save().moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(colour).stroke().restore();
}

export function box(
  doc: Doc,
  x: number,
  y: number,
  w: number,
  h: number,
  style: { fill?: string; stroke?: string; lineWidth?: number; radius?: number },
): void {
  doc.save();
  const r = style.radius ?? 0;
  if (r > 0) doc.roundedRect(x, y, w, h, r);
  else doc.rect(x, y, w, h);
  if (style.lineWidth !== undefined) doc.lineWidth(style.lineWidth);
  if (style.fill && style.stroke) doc.fillAndStroke(style.fill, style.stroke);
  else if (style.fill) doc.fill(style.fill);
  else if (style.stroke) doc.stroke(style.stroke);
  doc.restore();
}
