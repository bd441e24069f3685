// Worker thread for test/support/pdf-reader.ts: reads a PDF with Mozilla's PDF.js (pdfjs-dist, legacy
// build for Node) and answers with plain data: per page its size, text runs with per-character advances,
// the fonts it uses, and the document info. Plain JavaScript because a worker thread gets no TypeScript loader.
import { parentPort } from 'node:worker_threads';

let pdfjs;
let port;
let flag;

parentPort.on('message', async (message) => {
  if (message.port) {
    port = message.port;
    flag = message.flag;
    return;
  }
  let answer;
  try {
    answer = { ok: true, value: await read(message.request.pdf) };
  } catch (e) {
    answer = {
      ok: false,
      error: `PDF.js could not read the file: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    };
  }
  port.postMessage(answer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});

async function read(bytes) {
  pdfjs ??= await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(bytes),
    fontExtraProperties: true,
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    // No standardFontDataUrl: for the standard 14 fonts PDF.js then keeps the Adobe metrics (AFM ascent,
    // descent, widths) that pdfkit lays out with, instead of a substitute font file's.
    verbosity: 0,
  }).promise;
  try {
    const { info } = await doc.getMetadata();
    const pages = [];
    const fonts = new Map();
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      // The operator list loads the page's fonts into commonObjs (name, embedding, widths, ToUnicode).
      await page.getOperatorList();
      // Characters as the file maps them (no NFKC: "…" stays one character, as a reader copying text gets it).
      const content = await page.getTextContent({ disableNormalization: true });
      const fontOf = (id) => (page.commonObjs.has(id) ? page.commonObjs.get(id) : undefined);
      for (const id of Object.keys(content.styles)) {
        const font = fontOf(id);
        if (font && !fonts.has(font.name)) {
          fonts.set(font.name, {
            name: font.name,
            type: font.type ?? null,
            subtype: font.subtype ?? null,
            embedded: font.missingFile !== true,
          });
        }
      }
      const [x0, y0, x1, y1] = page.view;
      pages.push({
        width: x1 - x0,
        height: y1 - y0,
        runs: content.items
          .filter((item) => 'str' in item && item.str.length > 0)
          .map((item) => {
            const style = content.styles[item.fontName] ?? {};
            const [a, b, , , e, f] = item.transform;
            return {
              text: item.str,
              x: e - x0,
              baseline: f - y0,
              width: item.width,
              size: Math.hypot(a, b),
              ascent: style.ascent ?? 0.8,
              descent: style.descent ?? -0.2,
              font: fontOf(item.fontName)?.name ?? item.fontName,
              advances: advances(item.str, fontOf(item.fontName)),
            };
          }),
      });
    }
    return { pages, fonts: [...fonts.values()], info };
  } finally {
    await doc.destroy();
  }
}

/**
 * Each character's advance width in the font's units (1/1000 em), looked up through the font's own
 * ToUnicode map and widths; null where the font gives none (the reader then spreads the run evenly).
 */
function advances(str, font) {
  const chars = [...str];
  const map = font?.toUnicode?._map;
  const widths = font?.widths;
  if (!Array.isArray(map) || !widths) return chars.map(() => null);
  const codeOf = new Map();
  map.forEach((unicode, code) => {
    if (typeof unicode === 'string' && !codeOf.has(unicode)) codeOf.set(unicode, code);
  });
  return chars.map((c) => {
    const code = codeOf.get(c);
    const w = code === undefined ? undefined : widths[code];
    return typeof w === 'number' ? w : null;
  });
}
