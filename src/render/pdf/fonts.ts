/**
 * The page's fonts: Noto, embedded and subsetted (pdfkit subsets through fontkit), so every name
 * prints in an archive reader seven years on, whatever its script. Noto Sans covers Latin, Greek and
 * Cyrillic; Noto Sans JP the CJK ideographs and kana; Noto Sans Arabic Arabic. A line is split into
 * runs, each drawn in the first face that has all its characters; a character no face has prints as
 * "?". The CJK and Arabic faces (5 MB and 200 KB) are read only when a text needs them, once per
 * process, and embedded only in the documents that use them; pdfkit receives the parsed fonts.
 *
 * The bytes of a document depend on nothing but its own text: the code points a glyph is read back as
 * (the PDF's ToUnicode map) are fixed per face before any document draws (Latin, Greek, Cyrillic, CJK),
 * or, for Arabic, decided by the document itself on a face of its own (see `drawingFace`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { visualPieces, type CharClass } from './bidi.js';

export type Weight = 'regular' | 'bold' | 'italic';

type Family = 'base' | 'cjk' | 'arabic';

/** Fallback order: the first family with a glyph for a character draws it. */
const FAMILIES: readonly Family[] = ['base', 'cjk', 'arabic'];

/** Package-relative font files. Neither CJK nor Arabic Noto has an italic: those runs print upright. */
const FILES: Record<Family, Record<Weight, string>> = {
  base: {
    regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
    italic: '@expo-google-fonts/noto-sans/400Regular_Italic/NotoSans_400Regular_Italic.ttf',
  },
  cjk: {
    regular: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
    italic: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  },
  arabic: {
    regular: '@expo-google-fonts/noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-arabic/700Bold/NotoSansArabic_700Bold.ttf',
    italic: '@expo-google-fonts/noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf',
  },
};

const require = createRequire(import.meta.url);
const bytes = new Map<string, Buffer>();

function fontBytes(file: string): Buffer {
  let b = bytes.get(file);
  if (!b) {
    b = readFileSync(require.resolve(file));
    bytes.set(file, b);
  }
  return b;
}

/** The regular face of each family, opened for its character map only (coverage is per family). */
const cmaps = new Map<Family, fontkit.Font>();

function cmapOf(family: Family): fontkit.Font {
  let f = cmaps.get(family);
  if (!f) {
    const opened = fontkit.create(fontBytes(FILES[family].regular));
    if (!('hasGlyphForCodePoint' in opened)) throw new Error(`${FILES[family].regular} is a font collection`);
    f = opened;
    cmaps.set(family, f);
  }
  return f;
}

/** Family per code point, cached: measuring a line many times while fitting it looks each one up once. */
const familyOf = new Map<number, Family | null>();

function familyFor(cp: number): Family | null {
  const known = familyOf.get(cp);
  if (known !== undefined) return known;
  const found = FAMILIES.find((f) => cmapOf(f).hasGlyphForCodePoint(cp)) ?? null;
  familyOf.set(cp, found);
  return found;
}

interface Run {
  /** The pdfkit font name registered for this document. */
  face: string;
  text: string;
  /** Width in points at size 1. */
  width: number;
  /** OpenType features to draw it with (pdfkit hands them to fontkit). */
  features: Record<string, boolean>;
}

/** Which faces a document has registered with pdfkit. */
export interface DocFonts {
  runs(text: string, weight: Weight): Run[];
}

const MISSING = '?';

/**
 * OpenType features the page turns off for Latin, Greek, Cyrillic and CJK: no kerning, ligatures or
 * contextual forms, so a line's width is the sum of its characters' advances, read from a table
 * instead of shaping every candidate string while fitting (10,000 names would otherwise take
 * minutes), and drawing skips the layout tables' lookups.
 */
const PLAIN_FEATURES = {
  kern: false,
  liga: false,
  clig: false,
  calt: false,
  dlig: false,
  ccmp: false,
  locl: false,
  mark: false,
  mkmk: false,
  rclt: false,
  rlig: false,
  curs: false,
} as const;
/**
 * Arabic keeps its joining forms (init, medi, fina, rlig) but not ccmp, which splits a letter into its
 * skeleton and dots: the dot glyphs carry no code point, and a reader would read them back as stray codes.
 */
const ARABIC_FEATURES = { kern: false, liga: false, dlig: false, ccmp: false } as const;
/**
 * fontkit's mark positioning throws on some Arabic glyphs of Noto Sans Arabic (a mark-to-base anchor it
 * reads as null: Maghrebi feh and qaf, several Quranic marks). A run it throws on is laid out again
 * without mark positioning: its marks sit where their advance puts them instead of failing the page.
 */
const ARABIC_WITHOUT_MARKS = { ...ARABIC_FEATURES, mark: false, mkmk: false } as const;

/** An Arabic run shaped with mark positioning if fontkit can, else without: its features and advance at size 1. */
function arabicLayout(font: fontkit.Font, text: string): { features: Record<string, boolean>; width: number } {
  const shaped = (features: Record<string, boolean>) => ({
    features,
    // fontkit adds to the features object it is given: the layout gets a copy.
    width: font.layout(text, { ...features }).advanceWidth / font.unitsPerEm,
  });
  try {
    return shaped({ ...ARABIC_FEATURES });
  } catch {
    return shaped({ ...ARABIC_WITHOUT_MARKS });
  }
}

const faces = new Map<string, fontkit.Font>();

function openFace(file: string): fontkit.Font {
  const opened = fontkit.create(fontBytes(file));
  if (!('layout' in opened)) throw new Error(`${file} is a font collection`);
  return opened;
}

/** A face parsed once per process, for measuring (every family) and for drawing Latin, Greek, Cyrillic and CJK. */
function faceOf(file: string): fontkit.Font {
  let f = faces.get(file);
  if (!f) {
    f = openFace(file);
    // fontkit keeps the first Glyph made for an id, with the code points of that first request, and the
    // PDF's ToUnicode map is read from it: made on demand, it would depend on what earlier documents of
    // the process drew (tenants render side by side). Made here for every code point in ascending order,
    // a glyph always carries its lowest code point, whatever was rendered before. Arabic cannot be drawn
    // from such a face: its shaped (joining) glyphs must carry the letters they were shaped from, not the
    // presentation-form code point that also reaches them, or text read back from the page is garbled.
    if (!file.includes('noto-sans-arabic')) {
      for (const cp of [...f.characterSet].sort((a, b) => a - b)) f.glyphForCodePoint(cp);
    }
    faces.set(file, f);
  }
  return f;
}

/**
 * The face a document draws `family` with. Arabic gets a face of its own per document: a glyph then
 * carries the code points of its first use in that document (one glyph serves both "١" U+0661 and "۱"
 * U+06F1, and every shaped form), so the document's bytes never depend on what the process rendered
 * before it (tenants render side by side under --tenants-at-once). Parsing it costs some tens of
 * milliseconds, paid only by a page that prints Arabic.
 */
function drawingFace(family: Family, weight: Weight): fontkit.Font {
  return family === 'arabic' ? openFace(FILES[family][weight]) : faceOf(FILES[family][weight]);
}

const advances = new Map<string, Map<number, number>>();

/** Width of a run at size 1: advances per character, or shaped as a whole for Arabic. */
function widthOf(family: Family, weight: Weight, text: string): number {
  const file = FILES[family][weight];
  const font = faceOf(file);
  if (family === 'arabic') return arabicLayout(font, text).width;
  let table = advances.get(file);
  if (!table) {
    table = new Map();
    advances.set(file, table);
  }
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    let a = table.get(cp);
    if (a === undefined) {
      a = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm;
      table.set(cp, a);
    }
    width += a;
  }
  return width;
}

/** Splits text into runs of one family each and registers the faces the runs need with `doc`. */
export function documentFonts(doc: PDFKit.PDFDocument): DocFonts {
  const registered = new Set<string>();
  const face = (family: Family, weight: Weight): string => {
    const name = `${family}-${weight}`;
    if (!registered.has(name)) {
      // The parsed font is shared by every document of the process (Arabic aside): parsing Noto's layout
      // tables anew per page cost more than the rest of the render. Each document makes its own subset.
      doc.registerFont(name, drawingFace(family, weight) as unknown as Buffer);
      registered.add(name);
    }
    return name;
  };
  return {
    runs(text, weight) {
      return splitRuns(text).map((r) => {
        const arabic = r.family === 'arabic' ? arabicLayout(faceOf(FILES.arabic[weight]), r.text) : undefined;
        return {
          face: face(r.family, weight),
          text: r.text,
          width: arabic?.width ?? widthOf(r.family, weight, r.text),
          features: arabic?.features ?? { ...PLAIN_FEATURES },
        };
      });
    },
  };
}

/** Arabic-Indic and Extended Arabic-Indic digits: Arabic-face characters that read left to right. */
const ARABIC_DIGITS = /^[\u0660-\u0669\u06f0-\u06f9]$/u;

function classOf(ch: string): CharClass {
  if (familyFor(ch.codePointAt(0) ?? 0) === 'arabic') return ARABIC_DIGITS.test(ch) ? 'D' : 'R';
  if (/^\p{Nd}$/u.test(ch)) return 'D';
  return /^\p{L}$/u.test(ch) ? 'L' : 'N';
}

/**
 * Runs of one family each, in the order they stand on the page (bidi.ts): Arabic words right to left,
 * numbers among them left to right. A character no family has becomes "?".
 */
function splitRuns(text: string): Array<{ family: Family; text: string }> {
  return visualPieces(text, classOf).flatMap((piece) => {
    const runs = familyRuns(piece.text);
    if (piece.direction === 'ltr') return runs;
    if (piece.direction === 'digits') {
      // fontkit lays out every Arabic-face string right to left: digits go one run each to stay in order.
      return runs.flatMap((r) =>
        r.family === 'arabic' ? Array.from(r.text).map((d) => ({ family: r.family, text: d })) : [r],
      );
    }
    // Right to left: fontkit reverses an Arabic run itself; the neutral characters of another face are
    // reversed here, and the runs are taken from the last.
    return runs
      .map((r) => (r.family === 'arabic' ? r : { family: r.family, text: Array.from(r.text).reverse().join('') }))
      .reverse();
  });
}

/** Runs of one family each, in logical order. */
function familyRuns(text: string): Array<{ family: Family; text: string }> {
  const out: Array<{ family: Family; text: string }> = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const family = familyFor(cp);
    const last = out.at(-1);
    // A CJK run keeps the characters its face also has (spaces, digits, Latin), so a name is drawn
    // in one piece rather than hopping between faces.
    const absorbs = last?.family === 'cjk' && family !== null && cmapOf('cjk').hasGlyphForCodePoint(cp);
    if (last && absorbs) {
      last.text += ch;
      continue;
    }
    const into = family ?? 'base';
    const glyph = family === null ? MISSING : ch;
    if (last && last.family === into) last.text += glyph;
    else out.push({ family: into, text: glyph });
  }
  return out;
}

/** Width of `text` at size 1 in `weight`, without a document (for measuring before drawing). */
export function textWidth(text: string, weight: Weight): number {
  return splitRuns(text).reduce((sum, r) => sum + widthOf(r.family, weight, r.text), 0);
}

/** The regular base face, parsed: the document's default font, so pdfkit never loads a standard-14 font. */
export function baseFont(): fontkit.Font {
  return faceOf(FILES.base.regular);
}
