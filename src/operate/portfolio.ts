import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Packet } from '../model/packet.js';
import { verifyFolder, verifyMessages } from '../pipeline/verify-folder.js';
import { readConfinedText } from '../util/confined-read.js';
import { bookBytes, openBook } from '../render/xlsx/book.js';
import { stableJson, writeFileAtomic } from '../util/atomic-write.js';
import { PACKET_FILE } from '../packet-folder.js';

/** One tenant's line in the operator's cross-tenant review of a period. */
interface PortfolioRow {
  tenant: string;
  displayName: string;
  /** unreadable: no packet.json could be read; unverified: a packet from an earlier run that does not verify. */
  status: Packet['status'] | 'unreadable' | 'unverified';
  /** % of objects / bytes encrypted; null when nothing was measured. */
  objectsPct: number | null;
  bytesPct: number | null;
  measuredBuckets: number | null;
  totalBuckets: number | null;
  failingControls: number | null;
  /** null when the section was not collected for this tenant. */
  deniedUploads: number | null;
  criticalDrifts: number | null;
  openExceptions: number | null;
  expiredExceptions: number | null;
  complete: boolean;
  missingEvidence: number | null;
  generatedAt: string | null;
  /** Why the packet could not be read or used (status "unreadable" or "unverified"). */
  problem?: string;
}

export interface Portfolio {
  portfolioVersion: 1;
  period: string;
  tenants: PortfolioRow[];
}

const PORTFOLIO_JSON = 'portfolio.json';
const PORTFOLIO_XLSX = 'portfolio.xlsx';

/** Sections the packet types may still describe as "not collected"; read by their state alone. */
type LooseSection = { state?: string; total?: number; counts?: Record<string, number> } | undefined;

const count = (c: Record<string, number> | undefined, ...keys: string[]) => keys.reduce((n, k) => n + (c?.[k] ?? 0), 0);

function portfolioRow(packet: Packet): PortfolioRow {
  const sections = packet.sections as unknown as Record<string, LooseSection>;
  const denied = sections.deniedUploads;
  const drift = sections.drift;
  const exceptions = sections.exceptions;
  return {
    tenant: packet.tenant.id,
    displayName: packet.tenant.displayName,
    status: packet.status,
    objectsPct: packet.kpis.objectsPct,
    bytesPct: packet.kpis.bytesPct,
    measuredBuckets: packet.coverage.measuredBuckets,
    totalBuckets: packet.coverage.totalBuckets,
    failingControls: packet.controls.filter((c) => c.verdict === 'fail').length,
    deniedUploads: denied?.state === 'collected' ? (denied.total ?? 0) : null,
    criticalDrifts: drift?.state === 'compared' ? count(drift.counts, 'critical') : null,
    // Open: entries that still cover something or could (active, expiring soon, unused); expired are listed apart.
    openExceptions:
      exceptions?.state === 'evaluated' ? count(exceptions.counts, 'active', 'expiring_soon', 'unused') : null,
    expiredExceptions: exceptions?.state === 'evaluated' ? count(exceptions.counts, 'expired') : null,
    complete: packet.completeness.complete,
    missingEvidence: packet.completeness.missing.length,
    generatedAt: packet.generatedAt,
  };
}

function unusableRow(tenant: string, status: 'unreadable' | 'unverified', problem: string): PortfolioRow {
  return {
    tenant,
    displayName: tenant,
    status,
    objectsPct: null,
    bytesPct: null,
    measuredBuckets: null,
    totalBuckets: null,
    failingControls: null,
    deniedUploads: null,
    criticalDrifts: null,
    openExceptions: null,
    expiredExceptions: null,
    complete: false,
    missingEvidence: null,
    generatedAt: null,
    problem,
  };
}

/** Says why a packet folder does not verify, or nothing when it does. */
type PacketCheck = (folder: string) => Promise<string | undefined>;

const verifyPacketFolder: PacketCheck = async (folder) => {
  const report = await verifyFolder(folder);
  return report.ok ? undefined : (verifyMessages(report)[0] ?? 'it does not verify');
};

export interface PortfolioOptions {
  /** Tenants whose packets this run has just written and verified by construction; every other folder is verified first. */
  writtenThisRun?: ReadonlySet<string>;
  check?: PacketCheck;
}

/**
 * Every tenant packet of the period folder (dot-folders such as .revisions and staging are skipped).
 * A packet left by an earlier run is used only if it verifies: an edited one is listed as unverified, never counted.
 */
async function readPortfolio(periodDir: string, period: string, opts: PortfolioOptions = {}): Promise<Portfolio> {
  const check = opts.check ?? verifyPacketFolder;
  const entries = await readdir(periodDir, { withFileTypes: true });
  const tenants: PortfolioRow[] = [];
  for (const e of entries
    .filter((x) => x.isDirectory() && !x.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = path.join(periodDir, e.name);
    let packet: Packet;
    try {
      const text = await readConfinedText(folder, path.join(folder, PACKET_FILE));
      if (text === undefined) throw new Error('no such file');
      packet = JSON.parse(text) as Packet;
    } catch (err) {
      tenants.push(unusableRow(e.name, 'unreadable', `packet.json unreadable: ${(err as Error).message}`));
      continue;
    }
    const problem = opts.writtenThisRun?.has(e.name) ? undefined : await check(folder);
    tenants.push(
      problem === undefined
        ? portfolioRow(packet)
        : unusableRow(e.name, 'unverified', `packet does not verify: ${problem}`),
    );
  }
  return { portfolioVersion: 1, period, tenants };
}

const COLUMNS: Array<{
  header: string;
  width: number;
  value: (r: PortfolioRow) => string | number | null;
  pct?: boolean;
}> = [
  { header: 'Tenant', width: 16, value: (r) => r.tenant },
  { header: 'Name', width: 24, value: (r) => r.displayName },
  { header: 'Status', width: 12, value: (r) => r.status.toUpperCase() },
  { header: 'Evidence complete', width: 10, value: (r) => (r.complete ? 'yes' : 'NO') },
  { header: 'Missing evidence items', width: 10, value: (r) => r.missingEvidence },
  {
    header: 'Objects encrypted',
    width: 11,
    value: (r) => (r.objectsPct === null ? null : r.objectsPct / 100),
    pct: true,
  },
  { header: 'Bytes encrypted', width: 11, value: (r) => (r.bytesPct === null ? null : r.bytesPct / 100), pct: true },
  {
    header: 'Buckets measured',
    width: 10,
    value: (r) => (r.totalBuckets === null ? null : `${r.measuredBuckets} of ${r.totalBuckets}`),
  },
  { header: 'Failing controls', width: 10, value: (r) => r.failingControls },
  { header: 'Denied uploads', width: 10, value: (r) => r.deniedUploads ?? 'not collected' },
  { header: 'Critical drifts', width: 10, value: (r) => r.criticalDrifts ?? 'not compared' },
  { header: 'Open exceptions', width: 10, value: (r) => r.openExceptions ?? 'no register' },
  { header: 'Expired exceptions', width: 10, value: (r) => r.expiredExceptions ?? 'no register' },
  { header: 'Generated', width: 22, value: (r) => r.generatedAt ?? r.problem ?? '' },
];

/** The portfolio as a one-sheet workbook, streamed; every text cell neutralised (tenant names are user input). */
function portfolioXlsx(p: Portfolio): Promise<Buffer> {
  // Dated by the newest packet, never the clock: the same packets give the same bytes.
  const newest = p.tenants
    .map((t) => t.generatedAt)
    .filter((g): g is string => g !== null)
    .sort()
    .at(-1);
  const stamp = new Date(newest ?? `${p.period}-01T00:00:00Z`);
  return bookBytes(stamp, async (out) => {
    const book = openBook(out, { author: 's3-evidence', title: `Portfolio ${p.period}`, date: stamp });
    const sheet = book.addSheet(`Portfolio ${p.period}`, {
      columns: COLUMNS.map((c) => ({ width: c.width })),
      frozenRows: 1,
    });
    await sheet.row(COLUMNS.map((c) => ({ value: c.header, bold: true })));
    for (const r of p.tenants) {
      await sheet.row(
        COLUMNS.map((c) => {
          const v = c.value(r);
          return typeof v === 'number' && c.pct ? { value: v, format: 'pct2' as const } : { value: v };
        }),
      );
    }
    sheet.filter(1, 1);
    await sheet.finish();
    await book.finish();
  });
}

/** Writes `<out>/<period>/portfolio.json` and `portfolio.xlsx` from every packet of the period. */
export async function writePortfolio(
  outDir: string,
  period: string,
  opts: PortfolioOptions = {},
): Promise<{ json: string; xlsx: string; portfolio: Portfolio }> {
  const periodDir = path.join(outDir, period);
  const portfolio = await readPortfolio(periodDir, period, opts);
  const json = path.join(periodDir, PORTFOLIO_JSON);
  const xlsx = path.join(periodDir, PORTFOLIO_XLSX);
  await writeFileAtomic(json, stableJson(portfolio));
  await writeFileAtomic(xlsx, await portfolioXlsx(portfolio));
  return { json, xlsx, portfolio };
}
