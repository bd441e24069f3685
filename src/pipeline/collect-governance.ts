import { baselineStore, defaultBaselineDir, folderBackend } from '../baseline/index.js';
import { exceptionsFileFor, loadExceptions, readExceptionsText } from './read-exceptions.js';
import path from 'node:path';
import { pointOfFile, TREND_GAP, vouchedPoints } from '../analyze/trend/index.js';
import { readPacketOfMonth } from '../evidence/earlier-packets.js';
import type { TrendPoint } from '../model/governance-sections.js';
import { verifiedManifest } from './verify-folder.js';
import { readConfinedFile } from '../util/confined-read.js';
import { sha256 } from '../util/hash.js';
import { MANIFEST_FILE } from '../workspace/manifest.js';
import { notOwnFile } from '../workspace/own-file.js';
import { CONTROLS } from '../analyze/controls/index.js';
import { monthsEndingWith, type Period } from '../config/period.js';
import type { Config, TenantConfig } from '../config/schema.js';
import type { GovernanceEvidence } from '../evidence/governance-evidence.js';

/**
 * A month's point as its packet.json says (not yet verified), and the points its trend shows for the
 * months before it. The parsed packet (some 150 MB at 10,000 buckets) ends here, before the month is
 * verified: the verification re-derives a packet of its own.
 */
async function pointAndVouched(
  outDir: string,
  tenant: string,
  month: string,
): Promise<{ point: TrendPoint; vouched: TrendPoint[] }> {
  const file = await readPacketOfMonth(outDir, tenant, month);
  const point = pointOfFile(month, tenant, file);
  const vouched = point.state === 'present' && file.state === 'present' ? vouchedPoints(month, file.packet) : [];
  return { point, vouched };
}

/**
 * One earlier month's point, read and verified: its packet counts only if it verifies (every hash,
 * the manifest header, packet.json re-derived from its evidence, its signature if it is signed); one that does not is a gap labelled
 * "unverified" with verify's first message, so an edited packet is never frozen into new evidence. Its
 * PDF and workbook are proven by their hashes, not re-rendered: the trend takes packet.json's figures
 * only, as the portfolio does. `vouched`: the points for months before it that its packet froze, each
 * with the manifest.json it was verified against; taken only from a packet that verified.
 */
async function verifiedMonth(
  outDir: string,
  tenant: string,
  month: string,
): Promise<{ point: TrendPoint; vouched: TrendPoint[] }> {
  const { point, vouched } = await pointAndVouched(outDir, tenant, month);
  if (point.state !== 'present') return { point, vouched: [] };
  const folder = path.join(outDir, month, tenant);
  const checked = await verifiedManifest(folder, { rerender: false });
  if ('problem' in checked) return unverified(month, checked.problem);
  return { point: { ...point, manifestSha256: checked.manifestSha256 }, vouched };
}

function unverified(month: string, problem: string): { point: TrendPoint; vouched: TrendPoint[] } {
  return {
    point: {
      period: month,
      state: 'unverified',
      ...TREND_GAP,
      problem: `the ${month} packet did not verify: ${problem}`,
    },
    vouched: [],
  };
}

/**
 * sha256 of a month's manifest.json as it is now; undefined when there is none, it cannot be read, or
 * it is a link (verify refuses a manifest.json that is not a file of its folder, so the month is read
 * and verified, and shown unverified).
 */
async function manifestShaNow(outDir: string, tenant: string, month: string): Promise<string | undefined> {
  try {
    const file = path.join(outDir, month, tenant, MANIFEST_FILE);
    if ((await notOwnFile(file)) !== undefined) return undefined;
    const bytes = await readConfinedFile(outDir, file);
    return bytes && sha256(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The earlier months' points, newest first, one packet at a time. A month that a later month's
 * verified packet already shows with figures is taken from there while its manifest.json is the one
 * that packet recorded: so a monthly run verifies the month before it (at 10,000 buckets some 24 s
 * each), not all eleven again. A month re-run since (another manifest), one that was a gap, and any
 * month of packets made before manifests were recorded, are read and verified as ever.
 */
async function earlierMonths(outDir: string, tenant: string, months: string[]): Promise<TrendPoint[]> {
  const points = new Map<string, TrendPoint>();
  const vouchedFor = new Map<string, TrendPoint>();
  for (const month of [...months].reverse()) {
    const vouched = vouchedFor.get(month);
    if (vouched && vouched.manifestSha256 === (await manifestShaNow(outDir, tenant, month))) {
      points.set(month, vouched);
      continue;
    }
    const read = await verifiedMonth(outDir, tenant, month);
    points.set(month, read.point);
    // The newest verified packet's word counts: it was checked last.
    for (const p of read.vouched) if (!vouchedFor.has(p.period)) vouchedFor.set(p.period, p);
  }
  return months.map((m) => points.get(m)!);
}

/** Reads the baseline in force, the exceptions register and the earlier months' packets. */
export async function collectGovernance(args: {
  config: Config;
  tenant: TenantConfig;
  period: Period;
  outDir: string;
}): Promise<{ evidence: GovernanceEvidence; registerText?: string }> {
  const { config, tenant, period } = args;
  const baselineLocation = defaultBaselineDir(config.baselineDir, tenant.id);
  const baseline = (await baselineStore(folderBackend(baselineLocation)).latest()) ?? null;
  const file = exceptionsFileFor(tenant.id, config.exceptionsDir);
  const exceptions = await loadExceptions(file, { tenant: tenant.id, controlIds: CONTROLS.map((c) => c.id) });
  const registerText = exceptions.exists ? await readExceptionsText(file) : undefined;
  // The months before this one only: a packet already in this period's folder (an earlier run's) is
  // about to be replaced, and reading and verifying it cost a 10,000-bucket rerun 63 s and 1 GB.
  const previousMonths = await earlierMonths(args.outDir, tenant.id, monthsEndingWith(period.label).slice(0, -1));
  return {
    evidence: { baseline, baselineLocation, exceptions, previousMonths },
    ...(registerText !== undefined ? { registerText } : {}),
  };
}
