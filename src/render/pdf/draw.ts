/**
 * The only place that puts text on the page. Every string is cleaned to WinAnsi, fitted to its
 * width and drawn with lineBreak:false at an explicit position, so pdfkit never wraps a line and
 * never adds a page on its own.
 */
import type { TextStyle } from './layout.js';
import { fitEnd, fitMiddle, toWinAnsi, type Measure } from './text-fit.js';

export type Doc = PDFKit.PDFDocument;

export type Fit = 'end' | 'middle';

export interface TextOptions {
  /** Width the text must stay within; fitted with an ellipsis. */
  width: number;
  align?: 'left' | 'right' | 'center';
  fit?: Fit;
}

export function measurer(doc: Doc, style: TextStyle): Measure {
  return (text) => doc.font(style.font).fontSize(style.size).widthOfString(text);
}

/** Cleans and fits `text`, as drawText would, without drawing it. */
export function fitted(doc: Doc, text: string, style: TextStyle, width: number, fit: Fit = 'end'): string {
  const clean = toWinAnsi(text);
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
  doc.font(style.font).fontSize(style.size).fillColor(style.color);
  doc.text(line, x + dx, y, { lineBreak: false });
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
