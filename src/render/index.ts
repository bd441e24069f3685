import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { csvRenderer } from './csv/csv-exports.js';
import { complianceFindingLinePieces, OCSF_EXPORT } from './ocsf/compliance-findings.js';
import { readmeRenderer } from './readme/packet-readme.js';
import type { Renderer } from './renderer.js';
import { xlsxRenderer } from './xlsx-renderer.js';
import { packetBaseName } from './packet-base-name.js';

const pdfRenderer: Renderer = {
  id: 'pdf',
  async render(packet, ctx) {
    const file = `${packetBaseName(packet)}.pdf`;
    // pdfkit, fontkit and the fonts (and exceljs below) are loaded when a packet is rendered: a command
    // that renders nothing (--help, verify of a bad folder, doctor) and a run until it renders do without them.
    const { renderPdf } = await import('./pdf/render-pdf.js');
    const pdf = await renderPdf(packet, {
      pageSize: ctx.pageSize,
      wording: ctx.wording,
      packetSha256: ctx.packetSha256,
      topFindings: ctx.topFindings,
    });
    await writeFile(path.join(ctx.outDir, file), pdf);
    return [file];
  },
};

/** exports/ocsf-compliance-findings.jsonl: the control results as OCSF Compliance Finding events. */
const ocsfRenderer: Renderer = {
  id: 'ocsf',
  async render(packet, ctx) {
    await mkdir(path.join(ctx.outDir, 'exports'), { recursive: true });
    // Line by line: 10,000 buckets give some 100,000 events (170 MB), never one string.
    await pipeline(
      Readable.from(complianceFindingLinePieces(packet)),
      createWriteStream(path.join(ctx.outDir, ...OCSF_EXPORT.split('/'))),
    );
    return [OCSF_EXPORT];
  },
};

/** Every output format, in the order they are produced. */
export const RENDERERS: readonly Renderer[] = [csvRenderer, ocsfRenderer, pdfRenderer, xlsxRenderer, readmeRenderer];
