import type { Packet } from '../model/packet.js';
import type { PreviousMonth } from '../model/packet-figures.js';

/** One tenant's line in the operator's cross-tenant review of a period. */
export interface PortfolioRow {
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
  /** Refused uploads counted past sources.maxDeniedUploads: `deniedUploads` leaves them out. Absent when none. */
  deniedUploadsNotItemised?: number;
  criticalDrifts: number | null;
  openExceptions: number | null;
  expiredExceptions: number | null;
  complete: boolean;
  missingEvidence: number | null;
  generatedAt: string | null;
  /** Why the packet could not be read or used (status "unreadable" or "unverified"). */
  problem?: string;
  /** The tenant's PDF and workbook, relative to the period folder; null when the file is not there. */
  pdf: string | null;
  workbook: string | null;
  previous: PreviousMonth | null;
}

export interface Portfolio {
  portfolioVersion: 2;
  period: string;
  tenants: PortfolioRow[];
}
