/**
 * Reads a rendered PDF back with Mozilla's PDF.js (pdfjs-dist, a dev dependency; not pdfkit, which writes
 * the files): the words with their boxes, the text line by line as it stands on the page, the fonts and
 * whether each is embedded, and the document info. Synchronous for the tests' sake: PDF.js runs in a worker
 * thread (pdf-reader.worker.mjs) and this thread waits for its answer.
 */
import { syncWorker } from './sync-worker.js';

/** A run of text as PDF.js extracts it, in PDF user space (origin bottom left). */
interface Run {
  text: string;
  x: number;
  baseline: number;
  width: number;
  size: number;
  /** Font ascent and descent as fractions of the size (descent negative). */
  ascent: number;
  descent: number;
  font: string;
  /** Each character's advance in font units, null where the font gives none. */
  advances: Array<number | null>;
}

interface PdfFont {
  /** The font's PostScript name, with its subset tag (`ABCDEF+`) if any. */
  name: string;
  /** PDF font type as PDF.js reports it (Type1, TrueType, Type0 / CIDFontType2, Type3). */
  type: string | null;
  subtype: string | null;
  /** False when the file carries no font program (a standard font the viewer supplies). */
  embedded: boolean;
  subset: boolean;
}

/** A word and its box in points, origin top left (as pdftotext -bbox gives it). */
export interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PdfPage {
  width: number;
  height: number;
  words: Word[];
  /** Words with their font size and baseline (origin top left), for line building. */
  placed: PlacedWord[];
}

interface PlacedWord extends Word {
  size: number;
  baseline: number;
}

export interface PdfReading {
  pages: PdfPage[];
  fonts: PdfFont[];
  /** The document information dictionary as PDF.js parses it (Title, Producer, CreationDate "D:…", …). */
  info: Record<string, unknown>;
}

interface WorkerReading {
  pages: Array<{ width: number; height: number; runs: Run[] }>;
  fonts: Array<Omit<PdfFont, 'subset'>>;
  info: Record<string, unknown>;
}

const readInWorker = syncWorker<{ pdf: Uint8Array }, WorkerReading>(
  new URL('./pdf-reader.worker.mjs', import.meta.url),
);
const cache = new WeakMap<Buffer, PdfReading>();

/** Read every page of `pdf` (cached per buffer: tests ask the same file for text, words and info). */
export function readPdf(pdf: Buffer): PdfReading {
  const cached = cache.get(pdf);
  if (cached) return cached;
  const raw = readInWorker({ pdf: new Uint8Array(pdf) });
  const reading: PdfReading = {
    pages: raw.pages.map((p) => {
      const placed = p.runs.flatMap((run) => wordsOf(run, p.height));
      return {
        width: p.width,
        height: p.height,
        placed,
        words: placed.map(({ text, xMin, yMin, xMax, yMax }) => ({ text, xMin, yMin, xMax, yMax })),
      };
    }),
    fonts: raw.fonts.map((f) => ({ ...f, subset: /^[A-Z]{6}\+/.test(f.name) })),
    info: raw.info,
  };
  cache.set(pdf, reading);
  return reading;
}

const MAX_ASCENT = 0.76;
const MAX_DESCENT = -0.22;

/**
 * Splits a run at white space into words. A word's horizontal extent comes from the font's advance
 * widths, scaled so the run's advances add up to the width PDF.js measured (which includes the size,
 * character spacing and kerning); its vertical extent is the font's ascent to descent around the baseline.
 */
function wordsOf(run: Run, pageHeight: number): PlacedWord[] {
  // One entry per code point, as PDF.js gives one advance per glyph of the run.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  const chars = [...run.text];
  const known = run.advances.filter((a): a is number => a !== null);
  const fallback = known.length ? known.reduce((s, a) => s + a, 0) / known.length : 1;
  const units = run.advances.map((a) => a ?? fallback);
  const total = units.reduce((s, a) => s + a, 0);
  const scale = total > 0 ? run.width / total : 0;
  // The box a glyph can fill, not the font's line box: Noto declares 1.069 em above the baseline and
  // 0.293 below (room for stacked accents the page never prints), where capitals and most descenders
  // keep within about 0.76 and 0.22 em, close to Helvetica's own box (0.718 / 0.207).
  const top = pageHeight - (run.baseline + Math.min(run.ascent, MAX_ASCENT) * run.size);
  const bottom = pageHeight - (run.baseline + Math.max(run.descent, MAX_DESCENT) * run.size);
  const words: PlacedWord[] = [];
  let x = run.x;
  let current: PlacedWord | undefined;
  chars.forEach((c, i) => {
    const advance = units[i]! * scale;
    if (/\s/.test(c)) {
      current = undefined;
    } else {
      if (!current) {
        current = {
          text: '',
          xMin: x,
          xMax: x,
          yMin: top,
          yMax: bottom,
          size: run.size,
          baseline: pageHeight - run.baseline,
        };
        words.push(current);
      }
      current.text += c;
      current.xMax = x + advance;
    }
    x += advance;
  });
  return words;
}

/**
 * The page's text line by line, top to bottom, words left to right: words whose boxes share at least half
 * the height of the shorter one stand on one line (so a small label beside a large figure reads with it,
 * as in pdftotext -layout). With `layout`, a gap wider than a space becomes as many spaces as it is wide,
 * keeping columns apart, and a line that starts right of the page's leftmost text is indented the same way;
 * without, one space and no indent.
 */
export function pageText(page: PdfPage, layout = true): string {
  const left = Math.min(...page.placed.map((w) => w.xMin));
  const spaces = (gap: number, size: number) => ' '.repeat(Math.max(0, Math.min(40, Math.round(gap / (0.5 * size)))));
  const lines: Array<{ words: PlacedWord[]; top: number; bottom: number }> = [];
  for (const word of [...page.placed].sort((a, b) => a.baseline - b.baseline || a.xMin - b.xMin)) {
    const line = lines.find((l) => {
      const shared = Math.min(l.bottom, word.yMax) - Math.max(l.top, word.yMin);
      return shared >= 0.5 * Math.min(l.bottom - l.top, word.yMax - word.yMin);
    });
    if (line) {
      line.words.push(word);
      line.top = Math.min(line.top, word.yMin);
      line.bottom = Math.max(line.bottom, word.yMax);
    } else {
      lines.push({ words: [word], top: word.yMin, bottom: word.yMax });
    }
  }
  return lines
    .sort((a, b) => a.top - b.top)
    .map((line) => {
      const words = line.words.sort((a, b) => a.xMin - b.xMin);
      let out = layout && words[0] ? spaces(words[0].xMin - left, words[0].size) : '';
      words.forEach((w, i) => {
        const prev = words[i - 1];
        if (prev) {
          const gap = w.xMin - prev.xMax;
          // Closer than a fifth of an em: the same word set in two runs (e.g. a figure and its smaller unit).
          if (gap >= 0.2 * Math.min(prev.size, w.size)) {
            out += (layout && spaces(gap, w.size)) || ' ';
          }
        }
        out += w.text;
      });
      return out;
    })
    .join('\n')
    .concat('\n');
}

/** A PDF date ("D:20261101110000Z", "D:20261101060000-05'00'") as ISO-8601, the way pdfinfo -isodates prints it. */
export function isoDate(pdfDate: string): string {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(pdfDate);
  if (!m) return pdfDate;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', zone] = m;
  const offset =
    !zone || zone === 'Z' ? (zone ? 'Z' : '') : `${zone.slice(0, 3)}:${zone.replace(/'/g, '').slice(3, 5)}`;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`;
}
