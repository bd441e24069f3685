import { z } from 'zod';
import { readOptionalEvidenceJson } from './read-evidence.js';
import type { StoredBaseline } from './baseline-snapshot.js';
import type { ExceptionsRegister } from './exceptions-register.js';
import { EVIDENCE_DIR, type EvidenceWriter } from './evidence-store.js';
import type { WrittenEvidence } from './written-evidence.js';

/**
 * What governance judges against, frozen into the evidence folder at collection time: the approved
 * baseline then in force, the exceptions register as it stood, and the earlier months' figures. So a
 * later approval or register edit never changes what `verify` re-derives for this packet.
 */
export interface GovernanceEvidence {
  baseline: StoredBaseline | null;
  /** Where the baseline store is, to name it when there is none. */
  baselineLocation: string;
  exceptions: ExceptionsRegister;
  /** Earlier months (not the packet's own), oldest first. */
  previousMonths: TrendPoint[];
}

const FILE = `${EVIDENCE_DIR}/governance.json`;

/** Its outline: a governance.json of `null` or `{}` is unreadable, never "collected before governance existed". */
const GOVERNANCE_SHAPE = z.looseObject({
  baseline: z.looseObject({}).nullable(),
  baselineLocation: z.string(),
  exceptions: z.looseObject({}),
  previousMonths: z.array(z.looseObject({ period: z.string(), state: z.string() })),
});

export async function writeGovernanceEvidence(
  writer: EvidenceWriter,
  gov: GovernanceEvidence,
  registerText?: string,
): Promise<void> {
  await writer.writeJson(FILE, gov);
  if (registerText !== undefined) {
    await writer.writeJson(`${EVIDENCE_DIR}/governance-register-source.json`, {
      file: gov.exceptions.file,
      text: registerText,
    });
  }
}

/**
 * Packets from before governance evidence existed read as "nothing to compare with". `written`: what
 * this run wrote into the folder, taken from memory instead of read back.
 */
export async function loadGovernanceEvidence(
  packetDir: string,
  written?: WrittenEvidence,
): Promise<GovernanceEvidence | null> {
  return (await readOptionalEvidenceJson<GovernanceEvidence>(packetDir, FILE, written, GOVERNANCE_SHAPE)) ?? null;
}

export interface TrendPoint {
  /** YYYY-MM */
  period: string;
  /**
   * present: a packet for the month was read and verified. missing: no packet (a gap). unreadable: a
   * packet exists but could not be read. unverified: a packet exists but did not pass `verify` (a gap:
   * its figures are not used).
   */
  state: 'present' | 'missing' | 'unreadable' | 'unverified';
  objectsPct: number | null;
  bytesPct: number | null;
  /** null when the month's denied-uploads section was not collected. */
  deniedUploads: number | null;
  /**
   * Refused uploads the month's scans counted past its itemising limit (sources.maxDeniedUploads):
   * `deniedUploads` (the itemised ones) leaves them out, so that figure is a floor. Absent when none.
   */
  deniedUploadsNotItemised?: number;
  failingControls: number | null;
  /** null when the month had no drift comparison. */
  criticalDrifts: number | null;
  /** Why the month is unreadable or unverified. */
  problem?: string;
  /**
   * present: sha256 of the month's manifest.json when its packet verified. A later month's run takes
   * the point from here, without verifying that month again, while its manifest.json is still this one.
   */
  manifestSha256?: string;
}
