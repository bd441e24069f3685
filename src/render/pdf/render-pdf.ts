/**
 * The one-page PDF: Packet in, PDF bytes out. One page whatever the packet size (lists are cut
 * with "and N more", names shortened in the middle), every word from templates/wording.yaml,
 * byte-identical output for the same packet, and archive grade: PDF/A-2b with XMP metadata and
 * embedded, subsetted Noto fonts (fonts.ts).
 */
import PDFDocument from 'pdfkit';
import type { Packet } from '../../model/packet.js';
import type { Wording } from '../../wording/wording.js';
import { allocateRows, MAX_CONTROL_ROWS, type RowBudget } from './allocate-rows.js';
import type { Doc } from './draw.js';
import { pageGeometry, type PageSize } from './layout.js';
import { pageContext, type PageContext } from './sections/context.js';
import { controlsHeight, drawControls, exceptedResources } from './sections/controls.js';
import { detailsHeight, drawDetails, growDetails, planDetails, type DetailsPlan } from './sections/details.js';
import { drawFindings, findingGroupCount, findingsHeight } from './sections/findings.js';
import { drawFooter, footerTop } from './sections/footer.js';
import { drawHeader, headerHeight } from './sections/header.js';
import { drawProvisionalStamp } from './sections/provisional.js';
import { drawStatus, statusHeight } from './sections/status.js';
import { drawTiles, tilesHeight } from './sections/tiles.js';
import { drawTrend, trendHeight } from './sections/trend-chart.js';
import { formatInstant } from './format.js';
import { baseFont } from './fonts.js';

export interface RenderPdfOptions {
  pageSize: PageSize;
  wording: Wording;
  /** sha256 of packet.json, shown shortened in the footer. */
  packetSha256: string;
  /** PNG or JPEG, drawn at most 34 pt square in the header. */
  logoPath?: string;
  /** Finding rows (one per rule and severity) listed before "and N more rules" (config `topFindings`); default 6. */
  topFindings?: number;
}

/**
 * Info dictionary with every field fixed by the packet: pdfkit derives the trailer /ID from
 * these (an md5 of the info), so fixing them makes the whole file reproducible.
 */
function documentInfo(packet: Packet, wording: Wording): PDFKit.DocumentInfo {
  const generated = new Date(packet.generatedAt);
  if (Number.isNaN(generated.getTime())) throw new Error(`packet.generatedAt is not a date: "${packet.generatedAt}"`);
  const month = formatInstant(
    packet.period.startUtc,
    packet.period.timeZone,
    wording.t('pdf.format.month'),
    wording.t('pdf.locale'),
  );
  const ctx = {
    tenant: packet.tenant.displayName,
    month,
    operator: packet.operator,
    tool: packet.tool.name,
    version: packet.tool.version,
  };
  return {
    Title: wording.t('pdf.info.title', ctx),
    Author: wording.t('pdf.info.author', ctx),
    Subject: wording.t('pdf.info.subject', ctx),
    Keywords: wording.t('pdf.info.keywords', ctx),
    Creator: wording.t('pdf.info.creator', ctx),
    Producer: wording.t('pdf.info.producer', ctx),
    CreationDate: generated,
    ModDate: generated,
  };
}

/** Leftover height is shared between the gaps, up to this much each; the rest stays at the bottom. */
const MAX_EXTRA_GAP = 10;

interface Block {
  height: number;
  draw(y: number): number;
}

/**
 * Space by importance: the status and its reason, the tiles, every FAIL and NOT EVALUATED control
 * (never cut, on A4 or Letter), then the configured number of findings, then the small print and the
 * trend. Plans from the fullest to the leanest (full small print; compact small print; compact and
 * the trend chart left to the workbook; lean, when findings are still short); the first that shows
 * every control and the configured findings wins, else the one that shows the most (controls first,
 * then findings). What room is left
 * gives small-print lines that were cut another line (growDetails).
 */
function planPage(
  base: PageContext,
  opts: RenderPdfOptions,
): { ctx: PageContext; details: DetailsPlan; budget: RowBudget } {
  const { packet, geometry: g } = base;
  const footnote = exceptedResources(packet.controls) > 0;
  const limit = footerTop(base);
  const mustShow = packet.controls.filter((c) => c.verdict === 'fail' || c.verdict === 'not_evaluated').length;
  const topFindings = opts.topFindings ?? 6;
  // Findings take one row per rule (and severity): the rows wanted are the groups, not the findings.
  const groups = findingGroupCount(base);
  const plan = (compact: boolean, withoutTrendChart: boolean, must = mustShow, lean = false) => {
    const ctx = withoutTrendChart ? { ...base, withoutTrendChart } : base;
    const details = planDetails(ctx, compact, lean);
    const fixed = headerHeight() + statusHeight() + tilesHeight(ctx) + trendHeight(ctx) + detailsHeight(details);
    const heights = {
      controls: (count: number, rows: number) => controlsHeight(count, rows, footnote),
      findings: findingsHeight,
    };
    const counts = { controls: packet.controls.length, findings: groups };
    const budget = allocateRows(limit - g.top - fixed, counts, topFindings, heights, must);
    // Room the rows leave goes to small-print lines that were cut, before any gap widens.
    const spare =
      limit -
      g.top -
      fixed -
      heights.controls(counts.controls, budget.controlRows) -
      heights.findings(counts.findings, budget.findingRows);
    return { ctx, details: growDetails(details, spare), budget };
  };
  const wantControls = Math.min(packet.controls.length, Math.max(MAX_CONTROL_ROWS, mustShow));
  const wantFindings = Math.min(groups, topFindings);
  const plans: Array<ReturnType<typeof plan>> = [];
  let lastError: unknown;
  for (const [compact, withoutTrend] of [
    [false, false],
    [true, false],
    [true, true],
  ] as const) {
    try {
      const p = plan(compact, withoutTrend);
      if (p.budget.controlRows >= wantControls && p.budget.findingRows >= wantFindings) return p;
      plans.push(p);
    } catch (e) {
      // Not even the must-show rows fit this plan: a leaner one decides (and says so if it cannot).
      lastError = e;
    }
  }
  const best = plans.reduce<ReturnType<typeof plan> | undefined>((a, b) => {
    if (!a) return b;
    // Every plan shows the FAIL and NOT EVALUATED controls; findings matter next, then the other controls.
    const score = (p: ReturnType<typeof plan>) => p.budget.findingRows * 1000 + p.budget.controlRows;
    return score(b) > score(a) ? b : a;
  }, undefined);
  // Findings come before the small print: when they are still short, the lean small print (log
  // sections and the exceptions register on one line each, cut between whole items) is taken if it
  // shows more of them; never for passing controls alone.
  if (best && best.budget.findingRows < wantFindings) {
    try {
      const lean = plan(true, true, mustShow, true);
      if (lean.budget.findingRows > best.budget.findingRows) return lean;
    } catch {
      // The lean plan fits no better: the best of the others stands.
    }
  }
  if (best) return best;
  // More FAIL and NOT EVALUATED controls than a page holds (dozens of controls): the leanest plan cuts
  // them too, and its "and N more" counts them; the workbook's Controls sheet lists every one.
  try {
    return plan(true, true, 0);
  } catch {
    throw lastError instanceof Error ? lastError : new Error('one-page layout: no plan fits');
  }
}

function drawPage(base: PageContext, opts: RenderPdfOptions): void {
  const { packet, geometry: g } = base;
  const limit = footerTop(base);
  const { ctx, details, budget } = planPage(base, opts);
  const footnote = exceptedResources(packet.controls) > 0;
  const controlsHeightOf = (count: number, rows: number) => controlsHeight(count, rows, footnote);
  const blocks: Block[] = [
    { height: headerHeight(), draw: (y) => drawHeader(ctx, y, opts.logoPath) },
    { height: statusHeight(), draw: (y) => drawStatus(ctx, y) },
    { height: tilesHeight(ctx), draw: (y) => drawTiles(ctx, y) },
    ...(trendHeight(ctx) > 0 ? [{ height: trendHeight(ctx), draw: (y: number) => drawTrend(ctx, y) }] : []),
    {
      height: controlsHeightOf(packet.controls.length, budget.controlRows),
      draw: (y) => drawControls(ctx, y, budget.controlRows),
    },
    {
      height: findingsHeight(findingGroupCount(ctx), budget.findingRows),
      draw: (y) => drawFindings(ctx, y, budget.findingRows),
    },
    { height: detailsHeight(details), draw: (y) => drawDetails(ctx, y, details) },
  ];
  const used = blocks.reduce((sum, b) => sum + b.height, 0);
  const extra = Math.min(MAX_EXTRA_GAP, Math.max(0, (limit - g.top - used) / (blocks.length - 1)));
  let y = g.top;
  for (const block of blocks) {
    const end = block.draw(y);
    // A section that draws more than it declared would overlap the next one.
    if (Math.abs(end - (y + block.height)) > 0.01)
      throw new Error(`one-page layout: a section drew ${end - y} pt, declared ${block.height} pt`);
    y = end + extra;
  }
  if (y - extra > limit + 0.01)
    throw new Error(
      `one-page layout overflow: content ends at ${(y - extra).toFixed(1)} pt, footer starts at ${limit.toFixed(1)} pt`,
    );
  drawFooter(ctx, opts.packetSha256);
  drawProvisionalStamp(ctx);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

function xmpDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The XMP packet's document fields, equal to the Info dictionary as PDF/A asks. Written here
 * because pdfkit's own writes the values unescaped: a tenant called "AT&T" would make the metadata
 * invalid XML and the file not PDF/A.
 */
function xmpInfo(info: PDFKit.DocumentInfo): string {
  const created = info.CreationDate ?? new Date(0);
  const modified = info.ModDate ?? created;
  return `
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:CreateDate>${xmpDate(created)}</xmp:CreateDate>
            <xmp:ModifyDate>${xmpDate(modified)}</xmp:ModifyDate>
            <xmp:MetadataDate>${xmpDate(modified)}</xmp:MetadataDate>
            <xmp:CreatorTool>${xml(info.Creator ?? '')}</xmp:CreatorTool>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:format>application/pdf</dc:format>
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.Title ?? '')}</rdf:li></rdf:Alt></dc:title>
            <dc:creator><rdf:Seq><rdf:li>${xml(info.Author ?? '')}</rdf:li></rdf:Seq></dc:creator>
            <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.Subject ?? '')}</rdf:li></rdf:Alt></dc:description>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
            <pdf:Producer>${xml(info.Producer ?? '')}</pdf:Producer>
            <pdf:Keywords>${xml(info.Keywords ?? '')}</pdf:Keywords>
        </rdf:Description>
        `;
}

/** pdfkit's metadata hooks (not in its published types). */
interface MetadataHooks {
  appendXML(xml: string, newline?: boolean): void;
  _addInfo(): void;
}

export async function renderPdf(packet: Packet, opts: RenderPdfOptions): Promise<Buffer> {
  const geometry = pageGeometry(opts.pageSize);
  const info = documentInfo(packet, opts.wording);
  const doc: Doc = new PDFDocument({
    size: opts.pageSize,
    // Zero margins: our layout keeps its own; pdfkit must never decide a line ran off the page.
    margin: 0,
    compress: true,
    info,
    lang: opts.wording.t('pdf.locale'),
    displayTitle: true,
    // PDF/A-2 is PDF 1.7; pdfkit adds the sRGB output intent and the pdfaid identification.
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    // The default font is an embedded Noto face: no standard-14 font is ever loaded.
    // (pdfkit takes a parsed fontkit font where its types say a file name.)
    font: baseFont() as unknown as string,
  });
  const hooks = doc as unknown as MetadataHooks;
  hooks._addInfo = () => hooks.appendXML(xmpInfo(info));
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  let extraPages = 0;
  doc.on('pageAdded', () => {
    extraPages++;
  });
  drawPage(pageContext(doc, packet, geometry, opts.wording), opts);
  if (extraPages > 0) throw new Error(`one-page layout: pdfkit added ${extraPages} page(s)`);
  doc.end();
  return done;
}
