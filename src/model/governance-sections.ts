/**
 * Packet sections for governance over time: drift against the approved baseline, the exceptions
 * register, and the 12-month trend. Each may also be `not_collected` (from packet.ts).
 */
import type { SectionNotCollected, Severity } from './shared.js';
import type { ExceptionScope } from '../evidence/exceptions-register.js';
import type { TrendPoint } from '../evidence/governance-evidence.js';

// The sections carry these evidence shapes as they are.
export type { ExceptionScope, TrendPoint };

// ---------------------------------------------------------------- drift

type DriftKind =
  | 'bucket_added'
  | 'bucket_removed'
  | 'key_added'
  | 'key_removed'
  | 'default_encryption'
  | 'public_access_block'
  | 'policy_added'
  | 'policy_removed'
  | 'policy_statement_added'
  | 'policy_statement_removed'
  | 'policy_statement_changed'
  /** SSE or TLS enforcement weakened with no single statement to blame (e.g. the policy became unparsable). */
  | 'policy_enforcement'
  | 'key_rotation'
  /** One side could not be read (or parsed): the state cannot be compared, which is itself reported. */
  | 'not_comparable';

export interface DriftItem {
  /** "bucket acme-data" or "key arn:aws:kms:…" */
  resource: string;
  resourceType: 'bucket' | 'key';
  kind: DriftKind;
  /**
   * On the packet's one scale: a weakening of a guardrail a control judges takes that control's
   * severity (the same item is never CRITICAL here and HIGH among the findings); a weakening no control
   * judges (public access block relaxed, a key policy granting new principals) is critical; any other
   * unapproved change is medium; a tightening or a neutral change is info.
   */
  severity: Severity;
  /** Ids of the controls judging the guardrail this change weakens (their severity is the item's). */
  weakens?: string[];
  /** One sentence for the PDF and the workbook. */
  summary: string;
  /** Policy statements: the Sid, or "#<n>" (1-based position) when it has none. */
  statement?: string;
  /** Changed statements: the policy fields that differ (Effect, Principal, Action, Resource, Condition, Not…). */
  changedFields?: string[];
  /** The approved and the current state of what changed, as JSON values; null where absent. */
  before: unknown;
  after: unknown;
}

interface DriftBaselineRef {
  version: number;
  approvedBy: string;
  approvedAt: string;
  reason: string;
  /** The period whose evidence was approved. */
  period: string;
}

export type DriftSection =
  | SectionNotCollected
  | { state: 'no_baseline'; /** The exact command that approves this period's state. */ command: string }
  | {
      state: 'compared';
      baseline: DriftBaselineRef;
      counts: Record<Severity, number>;
      /** Most severe first. */
      items: DriftItem[];
    };

// ---------------------------------------------------------------- exceptions

export type ExceptionStatus = 'active' | 'expired' | 'expiring_soon' | 'unused' | 'invalid';

export interface ExceptionRow {
  id: string;
  /** Absent only for entries too broken to read (status invalid). */
  scope?: ExceptionScope;
  control?: string;
  reason?: string;
  owner?: string;
  ticket?: string;
  approvedBy?: string;
  /** YYYY-MM-DD: active through the end of that day in the tenant's zone. */
  expires?: string;
  status: ExceptionStatus;
  /** Whole days from the as-of date (tenant zone) to the expiry date; negative once expired. */
  daysLeft?: number;
  /** Resources whose FAIL this entry turned into EXCEPTION. */
  appliedTo: string[];
  /** Why the entry is invalid, or what limits it (e.g. a prefix scope that cannot narrow a bucket verdict). */
  problems: string[];
}

export type ExceptionsSection =
  | SectionNotCollected
  | { state: 'no_register'; file: string }
  | {
      state: 'evaluated';
      file: string;
      /** The instant and zone the dates were judged in. */
      asOf: string;
      timeZone: string;
      counts: Record<ExceptionStatus, number>;
      /** Every entry of the register, in file order. */
      entries: ExceptionRow[];
      /** Ids of valid entries that expire within 30 days (including those used or unused), soonest first. */
      expiringWithin30Days: string[];
    };

/** A finding the register itself raises (expired, ownerless or invalid entries). Shape of packet Finding minus its id. */
export interface ExceptionFinding {
  severity: Severity;
  controlId: string;
  resource: string;
  text: string;
  evidence: string[];
}

// ---------------------------------------------------------------- trend

export type TrendSection =
  | SectionNotCollected
  | {
      state: 'collected';
      /** Exactly 12 months, oldest first, ending with the packet's own period. */
      points: TrendPoint[];
    };
