import type { CellSpec } from '../render/xlsx/book.js';
import { bookBytes, openBook } from '../render/xlsx/book.js';
import { calendarDay, wallClock } from '../format/zone-day.js';
import type { Portfolio, PortfolioRow } from './portfolio-model.js';
import type { PreviousMonth } from '../model/packet-figures.js';

/**
 * portfolio.xlsx: one row per tenant, riskiest first. Numeric columns hold numbers or nothing; why a
 * figure is absent (section not collected, packet unusable) is said in the text columns beside them.
 */

interface PortfolioColumn {
  header: string;
  width: number;
  wrap?: boolean;
  cell: (r: PortfolioRow, rank: number) => CellSpec;
}

const num = (value: number | null | undefined, format: CellSpec['format'] = 'count'): CellSpec => ({
  value: value ?? null,
  format,
});
const fraction = (pct: number | null | undefined): CellSpec =>
  num(pct === null || pct === undefined ? null : Number((pct / 100).toPrecision(15)), 'pct2');
/** This month minus the month before; nothing when either is unknown. */
const change = (now: number | null, before: number | null | undefined): number | null =>
  now === null || before === null || before === undefined ? null : Number((now - before).toPrecision(15));

const present = (r: PortfolioRow): PreviousMonth | undefined =>
  r.previous?.state === 'present' ? r.previous : undefined;

/** What the text beside the numbers says about figures that are absent. */
function notMeasured(r: PortfolioRow): string {
  if (r.status === 'unreadable' || r.status === 'unverified') return r.problem ?? '';
  const out: string[] = [];
  if (r.objectsPct === null) out.push('encryption coverage not measured');
  if (r.deniedUploads === null) out.push('denied uploads not collected');
  else if (r.deniedUploadsNotItemised)
    out.push(
      `denied uploads: ${r.deniedUploadsNotItemised.toLocaleString('en-US')} more counted past sources.maxDeniedUploads, not itemised`,
    );
  if (r.criticalDrifts === null) out.push('drift not compared');
  if (r.openExceptions === null) out.push('no exceptions register');
  return out.join('; ');
}

function previousText(r: PortfolioRow): string {
  const p = r.previous;
  if (!p) return '';
  switch (p.state) {
    case 'present':
      return `compared with ${p.period}`;
    case 'missing':
      return `no previous packet (${p.period})`;
    case 'not_collected':
      return `no previous packet (${p.period}: this packet records no trend)`;
    default:
      return `previous packet ${p.state} (${p.period})${p.problem ? `: ${p.problem}` : ''}`;
  }
}

const COLUMNS: readonly PortfolioColumn[] = [
  { header: 'Risk rank', width: 6, cell: (_r, rank) => num(rank) },
  { header: 'Tenant', width: 16, cell: (r) => ({ value: r.tenant }) },
  { header: 'Name', width: 28, cell: (r) => ({ value: r.displayName }) },
  { header: 'Status', width: 12, cell: (r) => ({ value: r.status.toUpperCase(), bold: true }) },
  { header: 'Evidence complete', width: 10, cell: (r) => ({ value: r.complete ? 'yes' : 'NO' }) },
  { header: 'Missing evidence items', width: 10, cell: (r) => num(r.missingEvidence) },
  { header: 'Objects encrypted', width: 11, cell: (r) => fraction(r.objectsPct) },
  {
    header: 'Objects encrypted: change since last month',
    width: 13,
    cell: (r) => fraction(change(r.objectsPct, present(r)?.objectsPct)),
  },
  { header: 'Bytes encrypted', width: 11, cell: (r) => fraction(r.bytesPct) },
  { header: 'Buckets measured', width: 10, cell: (r) => num(r.measuredBuckets) },
  { header: 'Buckets in scope', width: 10, cell: (r) => num(r.totalBuckets) },
  { header: 'Failing controls', width: 10, cell: (r) => num(r.failingControls) },
  {
    header: 'Failing controls: change since last month',
    width: 13,
    cell: (r) => num(change(r.failingControls, present(r)?.failingControls)),
  },
  { header: 'Denied uploads', width: 10, cell: (r) => num(r.deniedUploads) },
  { header: 'Critical drifts', width: 10, cell: (r) => num(r.criticalDrifts) },
  {
    header: 'Critical drifts: change since last month',
    width: 13,
    cell: (r) => num(change(r.criticalDrifts, present(r)?.criticalDrifts)),
  },
  { header: 'Open exceptions', width: 10, cell: (r) => num(r.openExceptions) },
  { header: 'Expired exceptions', width: 10, cell: (r) => num(r.expiredExceptions) },
  { header: 'Not measured / problem', width: 40, wrap: true, cell: (r) => ({ value: notMeasured(r), wrap: true }) },
  { header: 'Previous month', width: 30, wrap: true, cell: (r) => ({ value: previousText(r), wrap: true }) },
  {
    header: 'Page (PDF)',
    width: 12,
    cell: (r) => (r.pdf ? { value: 'PDF', link: { file: r.pdf } } : { value: 'not in folder' }),
  },
  {
    header: 'Workbook (XLSX)',
    width: 12,
    cell: (r) => (r.workbook ? { value: 'XLSX', link: { file: r.workbook } } : { value: 'not in folder' }),
  },
  {
    header: 'Generated (UTC)',
    width: 19,
    cell: (r) => {
      const at = r.generatedAt === null ? undefined : wallClock(r.generatedAt, 'UTC');
      return at ? { value: at, format: 'datetime' } : { value: r.generatedAt };
    },
  },
];

/** The portfolio as a one-sheet workbook, streamed; every text cell neutralised (tenant names are user input). */
export function portfolioXlsx(p: Portfolio): Promise<Buffer> {
  // Dated by the newest packet, never the clock: the same packets give the same bytes.
  const newest = p.tenants
    .map((t) => t.generatedAt)
    .filter((g): g is string => g !== null)
    .sort()
    .at(-1);
  const stamp = (newest === undefined ? undefined : wallClock(newest, 'UTC')) ?? calendarDay(`${p.period}-01`);
  if (!stamp) throw new Error(`portfolio period is not YYYY-MM: ${p.period}`);
  return bookBytes(stamp, async (out) => {
    const book = openBook(out, { author: 's3-evidence', title: `Portfolio ${p.period}`, date: stamp });
    const sheet = book.addSheet(`Portfolio ${p.period}`, {
      columns: COLUMNS.map((c) => ({ width: c.width, wrap: c.wrap })),
      frozenRows: 1,
    });
    await sheet.row(COLUMNS.map((c) => ({ value: c.header, header: true })));
    let rank = 0;
    for (const r of p.tenants) {
      rank++;
      await sheet.row(COLUMNS.map((c) => c.cell(r, rank)));
    }
    sheet.filter(1, Math.max(1, sheet.next - 1));
    await sheet.finish();
    await book.finish();
  });
}
