/** Reads a rendered PDF back with poppler-utils (pdftotext, pdfinfo), the way a reader's tools would. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function withFile<T>(pdf: Buffer, fn: (file: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 's3e-pdf-'));
  try {
    const file = path.join(dir, 'page.pdf');
    writeFileSync(file, pdf);
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Buffer, layout = true): string {
  return withFile(pdf, (file) => execFileSync('pdftotext', [...(layout ? ['-layout'] : []), file, '-'], { encoding: 'utf8' }));
}

/** pdfinfo's report, dates in ISO-8601. */
export function pdfinfo(pdf: Buffer): string {
  return withFile(pdf, (file) => execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' }));
}

/** Page count as pdfinfo reports it. */
export function pdfinfoPages(pdf: Buffer): number {
  const out = pdfinfo(pdf);
  const m = /^Pages:\s+(\d+)$/m.exec(out);
  if (!m?.[1]) throw new Error(`pdfinfo gave no page count:\n${out}`);
  return Number(m[1]);
}

/** `/Type /Page` dictionaries in the file (not `/Type /Pages`). pdfkit never compresses object dictionaries. */
export function pageObjects(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page(?![a-zA-Z])/g) ?? []).length;
}

export interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word with its box in points, top-left origin (pdftotext -bbox). */
export function pdfWords(pdf: Buffer): { width: number; height: number; words: Word[] } {
  const html = withFile(pdf, (file) => execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' }));
  const page = /<page width="([\d.]+)" height="([\d.]+)">/.exec(html);
  const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: m[5] ?? '',
  }));
  return { width: Number(page?.[1]), height: Number(page?.[2]), words };
}

/** Pairs of words whose boxes overlap by more than a sliver (pdftotext boxes include line gap, so allow 1.5 pt). */
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
