/**
 * Reads a rendered PDF back the way a reader's tools would, with PDF.js (test/support/pdf-reader.ts):
 * text as it stands on the page, word boxes, fonts, document info and page count.
 */
import { SPACE } from '../../../src/render/pdf/layout.js';
import { isoDate, pageText, readPdf, type Word } from '../../support/pdf-reader.js';

export type { Word };

/** The text of every page, line by line (pages separated by a form feed, as pdftotext does). */
export function pdfText(pdf: Buffer, layout = true): string {
  return readPdf(pdf)
    .pages.map((page) => pageText(page, layout))
    .join('\f');
}

const INFO_FIELDS = [
  'Title',
  'Subject',
  'Keywords',
  'Author',
  'Creator',
  'Producer',
  'CreationDate',
  'ModDate',
] as const;

/** The document info as pdfinfo -isodates reports it ("Title:   …" lines, dates in ISO-8601, then "Pages:"). */
export function pdfinfo(pdf: Buffer): string {
  const { info, pages } = readPdf(pdf);
  const line = (label: string, value: string) => `${`${label}:`.padEnd(16)}${value}`;
  const lines: string[] = [];
  for (const field of INFO_FIELDS) {
    const value = info[field];
    if (typeof value !== 'string') continue;
    lines.push(line(field, field.endsWith('Date') ? isoDate(value) : value));
  }
  lines.push(line('Pages', String(pages.length)));
  const first = pages[0];
  if (first) lines.push(line('Page size', `${+first.width.toFixed(2)} x ${+first.height.toFixed(2)} pts`));
  return `${lines.join('\n')}\n`;
}

/** Page count as the reader sees it. */
export function pdfinfoPages(pdf: Buffer): number {
  return readPdf(pdf).pages.length;
}

/** `/Type /Page` dictionaries in the file (not `/Type /Pages`). pdfkit never compresses object dictionaries. */
export function pageObjects(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page(?![a-zA-Z])/g) ?? []).length;
}

/** Every word with its box in points, top-left origin (as pdftotext -bbox gives it); the size is the first page's. */
export function pdfWords(pdf: Buffer): { width: number; height: number; words: Word[] } {
  const { pages } = readPdf(pdf);
  const first = pages[0];
  if (!first) throw new Error('the PDF has no page');
  return { width: first.width, height: first.height, words: pages.flatMap((p) => p.words) };
}

/** Pairs of words whose boxes overlap by more than a sliver (boxes run from the font's ascent to its descent, which lines may share: allow 1.5 pt). */
export function overlapping(words: Word[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < words.length; j++) {
      const a = words[i]!;
      const b = words[j]!;
      const dx = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
      const dy = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
      if (dx > 0.5 && dy > 1.5) out.push([a.text, b.text]);
    }
  }
  return out;
}

/** Words that cross the page's margins (40 pt sides, 36 pt top and bottom, half a point of slack). */
export const outsideMargins = (words: Word[], width: number, height: number): Word[] =>
  words.filter((w) => w.xMin < 39.5 || w.xMax > width - 39.5 || w.yMin < 35.5 || w.yMax > height - 35.5);

/** Runs of spaces and tabs as one space, so layout text can be matched as prose. */
export const squash = (text: string): string => text.replace(/[ \t]+/g, ' ');

/** The header's title lines (above the byline, left of the period block), each read left to right, joined by a space. */
export function titleLines(pdf: Buffer): string {
  const { width, words } = pdfWords(pdf);
  const title = words.filter((w) => w.yMax < 36 + 24 && w.xMax < width - 150);
  const lines: Word[][] = [];
  for (const w of [...title].sort((a, b) => a.yMin - b.yMin)) {
    const line = lines.find((l) => Math.abs(l[0]!.yMin - w.yMin) < 2);
    if (line) line.push(w);
    else lines.push([w]);
  }
  return lines
    .map((l) =>
      l
        .sort((a, b) => a.xMin - b.xMin)
        .map((w) => w.text)
        .join(' '),
    )
    .join(' ');
}

const TILE_LABELS = ['OBJECTS', 'BYTES', 'DEFAULT', 'POLICY', 'DENIED'] as const;

/**
 * The five KPI tiles' text, each read on its own (label, value, delta, note), lines joined by a space:
 * a tile's column starts at its label's first word and ends where the next one starts.
 */
export function tileTexts(pdf: Buffer): string[] {
  const { width, words } = pdfWords(pdf);
  const labels = TILE_LABELS.map((l) => {
    const w = words.find((x) => x.text === l);
    if (!w) throw new Error(`no tile labelled ${l}`);
    return w;
  });
  const top = labels[0]!.yMin - 1;
  const bottom = top + SPACE.tileHeight;
  return labels.map((label, i) => {
    const right = labels[i + 1]?.xMin ?? width;
    const inside = words.filter(
      (w) => w.yMin >= top && w.yMax <= bottom && w.xMin >= label.xMin - 1 && w.xMin < right - 1,
    );
    return inside
      .sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin)
      .map((w) => w.text)
      .join(' ');
  });
}
