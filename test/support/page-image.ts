/**
 * Golden page images: a PDF page rasterised with PDF.js (pdfjs-dist) onto a Skia canvas
 * (@napi-rs/canvas, prebuilt binaries from the npm registry, pinned), so no poppler is needed.
 * Fonts are drawn from the file's own embedded glyph outlines (disableFontFace), never from the
 * machine's fonts, which keeps the image the same on any machine up to anti-aliasing; the comparison
 * tolerates that and nothing more.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';

/** 60 dpi: A4 is 496 × 702 px, every line of 7 pt text still distinct, a reference about 100 KB. */
const GOLDEN_DPI = 60;

export interface PageImage {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: Uint8ClampedArray;
}

/** Page 1 of `pdf` as RGBA pixels on white. */
export async function rasterise(pdf: Buffer, dpi = GOLDEN_DPI): Promise<PageImage> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(pdf),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  try {
    const page = await doc.getPage(1);
    const viewport = page.getViewport({ scale: dpi / 72 });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    // pdfjs's types name the DOM canvas; Skia's canvas implements the same 2D API.
    await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as never, viewport })
      .promise;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    return { width: canvas.width, height: canvas.height, data: new Uint8ClampedArray(data) };
  } finally {
    await doc.destroy();
  }
}

export function encodePng(image: PageImage): Buffer {
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  const data = context.createImageData(image.width, image.height);
  data.data.set(image.data);
  context.putImageData(data, 0, 0);
  return canvas.toBuffer('image/png');
}

export async function decodePng(file: string): Promise<PageImage> {
  const img = await loadImage(readFileSync(file));
  const canvas = createCanvas(img.width, img.height);
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  const { data } = context.getImageData(0, 0, img.width, img.height);
  return { width: img.width, height: img.height, data: new Uint8ClampedArray(data) };
}

/**
 * A pixel differs when one of its channels is off by more than this (of 255): anti-aliased edges
 * drawn by another CPU's Skia differ by a few levels; a moved or changed glyph by far more.
 */
const CHANNEL_TOLERANCE = 64;
/**
 * Pages may differ in at most this many pixels (about one short word at 60 dpi): one changed digit
 * passes, a line moved by a point or a row added fails.
 */
export const PIXEL_TOLERANCE = 40;

export interface ImageDiff {
  sameSize: boolean;
  differing: number;
  /** Red where the images differ, the expected page faint underneath. */
  image: PageImage;
}

export function diffImages(expected: PageImage, actual: PageImage): ImageDiff {
  const width = Math.max(expected.width, actual.width);
  const height = Math.max(expected.height, actual.height);
  const out = new Uint8ClampedArray(width * height * 4);
  let differing = 0;
  const at = (img: PageImage, x: number, y: number, c: number) =>
    x < img.width && y < img.height ? img.data[(y * img.width + x) * 4 + c]! : 255;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let off = 0;
      for (let c = 0; c < 3; c++) off = Math.max(off, Math.abs(at(expected, x, y, c) - at(actual, x, y, c)));
      const i = (y * width + x) * 4;
      if (off > CHANNEL_TOLERANCE) {
        differing++;
        out.set([220, 0, 0, 255], i);
      } else {
        const grey = 255 - (255 - at(expected, x, y, 0)) / 4;
        out.set([grey, grey, grey, 255], i);
      }
    }
  }
  return {
    sameSize: expected.width === actual.width && expected.height === actual.height,
    differing,
    image: { width, height, data: out },
  };
}

/** Writes the actual page and the diff under the OS temp dir; returns their paths. */
export function writeFailure(name: string, actual: PageImage, diff: ImageDiff): { actual: string; diff: string } {
  const root = path.join(os.tmpdir(), 's3e-golden-pages');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(path.join(root, `${name}-`));
  const files = { actual: path.join(dir, `${name}.actual.png`), diff: path.join(dir, `${name}.diff.png`) };
  writeFileSync(files.actual, encodePng(actual));
  writeFileSync(files.diff, encodePng(diff.image));
  return files;
}
