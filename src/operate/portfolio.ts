import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import type { Packet } from '../model/packet.js';
import { verifyProblem } from '../pipeline/verify-folder.js';
import { readConfinedFile } from '../util/confined-read.js';
import { parseJsonBytes } from '../util/json-members.js';
import { stableJson, writeFileAtomic } from '../util/atomic-write.js';
import { PACKET_FILE, packetOwner } from '../packet-folder.js';
import { placementProblem } from '../workspace/packet-placement.js';
import { locationRecorder } from '../evidence/recorded-locations.js';
import type { Portfolio, PortfolioRow } from './portfolio-model.js';
import { packetFigures, type PacketFigures } from '../model/packet-figures.js';

export type { Portfolio } from './portfolio-model.js';

const PORTFOLIO_JSON = 'portfolio.json';
const PORTFOLIO_XLSX = 'portfolio.xlsx';

function portfolioRow(figures: PacketFigures, files: { pdf: string | null; workbook: string | null }): PortfolioRow {
  const { period: _period, previous, ...counts } = figures;
  return { ...counts, ...files, previous };
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
    pdf: null,
    workbook: null,
    previous: null,
  };
}

const STATUS_RISK: Record<PortfolioRow['status'], number> = {
  unreadable: 0,
  unverified: 1,
  attention: 2,
  incomplete: 3,
  compliant: 4,
};

const desc = (a: number | null, b: number | null) => (b ?? -1) - (a ?? -1);
const asc = (a: number | null, b: number | null) => (a ?? 101) - (b ?? 101);

/**
 * Riskiest first: packets that cannot be used, then by status, failing controls, critical drifts,
 * expired exceptions, missing evidence, then the lowest share of objects encrypted; tenant id last.
 */
function byRisk(a: PortfolioRow, b: PortfolioRow): number {
  return (
    STATUS_RISK[a.status] - STATUS_RISK[b.status] ||
    desc(a.failingControls, b.failingControls) ||
    desc(a.criticalDrifts, b.criticalDrifts) ||
    desc(a.expiredExceptions, b.expiredExceptions) ||
    desc(a.missingEvidence, b.missingEvidence) ||
    asc(a.objectsPct, b.objectsPct) ||
    (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0)
  );
}

/** The rendered file's path relative to the period folder, when it is there. */
async function renderedFile(periodDir: string, tenant: string, name: string): Promise<string | null> {
  try {
    return (await stat(path.join(periodDir, tenant, name))).isFile() ? `${tenant}/${name}` : null;
  } catch {
    return null;
  }
}

/** Says why a packet folder does not verify, or nothing when it does. */
type PacketCheck = (folder: string) => Promise<string | undefined>;

/**
 * A portfolio row reads packet.json's figures only: every packet is re-derived from its evidence and
 * every file checked against its manifest hash. Re-rendering each PDF and workbook (what `verify` does,
 * and as costly as the run that made them) is asked for with `rerender`.
 */
const verifyPacketFolder =
  (rerender: boolean): PacketCheck =>
  (folder) =>
    verifyProblem(folder, { rerender });

export interface PortfolioOptions {
  /**
   * The figures of the packets this run has just written (verified by construction), by tenant folder:
   * listed as they are, their packet.json not read back. Every other folder is read and verified first.
   */
  writtenThisRun?: ReadonlyMap<string, PacketFigures>;
  check?: PacketCheck;
  /** Tenants that should have a packet (the configuration's): one without a folder is listed as unreadable. */
  expectedTenants?: readonly string[];
  /** Packets verified at once; default VERIFY_AT_ONCE. */
  verifyAtOnce?: number;
  /** Also re-render every packet's PDF, workbook and CSV exports and compare them byte for byte. */
  rerender?: boolean;
}

const VERIFY_AT_ONCE = 2;

/**
 * Every tenant packet of the period folder (dot-folders such as .revisions and staging are skipped).
 * A packet left by an earlier run is used only if it verifies and is the folder's own (its tenant id the
 * folder's name, its period the period's): any other is listed as unverified, never counted.
 */
async function readPortfolio(periodDir: string, period: string, opts: PortfolioOptions = {}): Promise<Portfolio> {
  const check = opts.check ?? verifyPacketFolder(opts.rerender ?? false);
  const entries = (await readdir(periodDir, { withFileTypes: true }))
    .filter((x) => !x.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name));
  const folders = entries.filter((x) => x.isDirectory()).map((x) => x.name);
  // A link is never followed (it could name any folder on the machine), nor passed over in silence:
  // where a tenant's packet should be, the portfolio says what is there instead.
  const links = entries
    .filter((x) => x.isSymbolicLink())
    .map((x) => unusableRow(x.name, 'unreadable', 'a symbolic link, not a packet folder: it is not followed'));
  // Verification reads and re-renders every packet: several at once, so one packet's reads and
  // writes overlap another's rendering. Rows are sorted afterwards, so the order they finish in is not seen.
  const limit = pLimit(opts.verifyAtOnce ?? VERIFY_AT_ONCE);
  // A reason quotes the files it is about as the reader found them, absolute: the portfolio names them
  // from the period folder ("./acme/evidence/run.json"), so it reads the same on any machine.
  const record = locationRecorder(periodDir, [periodDir]);
  const entered = await Promise.all(folders.map((name) => limit(() => portfolioEntry(periodDir, name, check, opts))));
  const tenants = [...entered.map((row) => (row.problem ? { ...row, problem: record(row.problem) } : row)), ...links];
  const present = new Set(tenants.map((t) => t.tenant));
  for (const id of opts.expectedTenants ?? [])
    if (!present.has(id)) tenants.push(unusableRow(id, 'unreadable', NO_FOLDER));
  return { portfolioVersion: 2, period, tenants: tenants.sort(byRisk) };
}

/**
 * One tenant folder's row: the figures of the packet this run wrote, else its packet.json's if it
 * verifies, else why not.
 */
async function portfolioEntry(
  periodDir: string,
  name: string,
  check: PacketCheck,
  opts: PortfolioOptions,
): Promise<PortfolioRow> {
  const folder = path.join(periodDir, name);
  let figures = opts.writtenThisRun?.get(name);
  if (!figures) {
    let packet: unknown;
    try {
      const bytes = await readConfinedFile(folder, path.join(folder, PACKET_FILE));
      if (bytes === undefined) throw new Error('no such file');
      packet = parseJsonBytes(bytes);
    } catch (err) {
      return unusableRow(name, 'unreadable', `packet.json unreadable: ${(err as Error).message}`);
    }
    // A packet verifies wherever it lies; it counts only where the run writes it, <period>/<tenant id>/.
    // Else last month's packet, or another tenant's, copied into this period's folder would be counted as
    // this month's. Checked first: it costs nothing, and such a packet is not worth re-deriving.
    const misplaced = placementProblem(folder, packetOwner(packet));
    if (misplaced !== undefined) return unusableRow(name, 'unverified', misplaced);
    const problem = await check(folder);
    if (problem !== undefined) return unusableRow(name, 'unverified', `packet does not verify: ${problem}`);
    figures = packetFigures(packet as Packet);
  }
  const base = `${figures.tenant}-${figures.period}`;
  return portfolioRow(figures, {
    pdf: await renderedFile(periodDir, name, `${base}.pdf`),
    workbook: await renderedFile(periodDir, name, `${base}.xlsx`),
  });
}

const NO_FOLDER = 'no packet folder for this period';

/**
 * Why the period's portfolio.json and portfolio.xlsx on disk are not what its packets give now (each
 * verified again, as `portfolio` does), or nothing when they are, byte for byte: an edited portfolio,
 * or one left stale by a later run of a tenant, is never taken for the period's. Tenants it names
 * as having no folder (`portfolio --config`) are named again.
 */
export async function portfolioDiffers(
  periodDir: string,
  opts: Pick<PortfolioOptions, 'check'> = {},
): Promise<string | undefined> {
  let text: string;
  let xlsx: Buffer;
  try {
    text = await readFile(path.join(periodDir, PORTFOLIO_JSON), 'utf8');
    xlsx = await readFile(path.join(periodDir, PORTFOLIO_XLSX));
  } catch (err) {
    return `the portfolio cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  let recorded: unknown;
  try {
    recorded = JSON.parse(text);
  } catch {
    return `${PORTFOLIO_JSON} is not JSON`;
  }
  const rows = (recorded as { tenants?: unknown }).tenants;
  const expectedTenants = (Array.isArray(rows) ? (rows as Array<Partial<PortfolioRow>>) : [])
    .filter((r) => r.problem === NO_FOLDER && typeof r.tenant === 'string')
    .map((r) => r.tenant!);
  const rebuilt = await readPortfolio(periodDir, path.basename(periodDir), { ...opts, expectedTenants });
  if (stableJson(rebuilt) !== text)
    return `${PORTFOLIO_JSON} is not what the period's packets give now (\`s3-evidence portfolio\` rebuilds it)`;
  const { portfolioXlsx } = await import('./portfolio-book.js');
  if (!xlsx.equals(await portfolioXlsx(rebuilt))) return `${PORTFOLIO_XLSX} is not what ${PORTFOLIO_JSON} renders to`;
  return undefined;
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
  // exceljs (~25 MB once loaded) only when a workbook is written: a run holds it only while it renders.
  const { portfolioXlsx } = await import('./portfolio-book.js');
  await writeFileAtomic(xlsx, await portfolioXlsx(portfolio));
  return { json, xlsx, portfolio };
}
