/**
 * The Packet: one typed, versioned model of a tenant's month. Every renderer reads only this.
 * Bump PACKET_SCHEMA_VERSION on any change a reader could notice.
 */
import type { EncryptionStatus, ObjectTally, TallyByStatus, UnencryptedObjectSample } from '../evidence/inventory.js';
import type { EvidenceFile } from '../evidence/bundle.js';

// The packet carries these evidence shapes as they are.
export type { EvidenceFile, ObjectTally, TallyByStatus };
import type { Verdict, Severity } from './shared.js';
import type { DeniedUploadsSection, KeyUsageSection } from './log-sections.js';
import type { DriftSection, ExceptionsSection, TrendSection } from './governance-sections.js';
import type { AwsConfigSection } from './config-sections.js';

/** 2: packets record the frameworks they were made with (`frameworks`) and references carry `short`. */
export const PACKET_SCHEMA_VERSION = 2;

export type OverallStatus = 'compliant' | 'attention' | 'incomplete';

/** yes: a statement denies every case. partial: some cases or some objects only. no: nothing does. */
export type EnforcementLevel = 'yes' | 'partial' | 'no' | 'unknown';

export interface Enforcement {
  level: EnforcementLevel;
  reason: string;
  /** Sids (or "#<index>" where a statement has no Sid) of the statements that decided it. */
  statements: string[];
}

export type DefaultEncryptionMode = 'SSE-S3' | 'SSE-KMS' | 'DSSE-KMS';

export type DefaultEncryption =
  | {
      state: 'enabled';
      mode: DefaultEncryptionMode;
      /** The raw SSEAlgorithm, e.g. aws:kms:dsse. */
      algorithm: string;
      /** As configured (ARN, key id or alias); undefined means the AWS-managed aws/s3 key. */
      kmsKeyId?: string;
      /** Resolved key ARN when DescribeKey answered. */
      kmsKeyArn?: string;
      keyManager?: 'AWS' | 'CUSTOMER' | 'unknown';
      bucketKeyEnabled: boolean;
      /** More than one rule: S3 applies the first; the rest are listed. */
      extraRules: number;
    }
  | { state: 'not_configured' }
  | { state: 'unreadable'; errorCode: string; message: string };

export type BucketCoverage =
  | {
      state: 'measured';
      reportDate: string;
      tally: TallyByStatus;
      total: ObjectTally;
      encrypted: ObjectTally;
      unencrypted: ObjectTally;
      /** encrypted / total; null when the bucket is empty (no objects: nothing to encrypt). */
      objectsPct: number | null;
      bytesPct: number | null;
      unknownStatus: ObjectTally;
      deleteMarkers: number;
      largestUnencrypted: UnencryptedObjectSample[];
      oldestUnencryptedLastModified?: string;
      unencryptedExport: { file: string; rows: number };
    }
  | { state: 'no_inventory'; reason: string }
  | { state: 'unverified'; reason: string; problems: string[] };

export interface BucketResult {
  name: string;
  account: string;
  region: string;
  defaultEncryption: DefaultEncryption;
  expectation: { requiredMode: 'any' | DefaultEncryptionMode; allowedKmsKeys: string[]; source: string };
  sseEnforcement: Enforcement;
  tlsEnforcement: Enforcement & { minimumTlsVersion?: string };
  policyState: 'present' | 'none' | 'unreadable' | 'unparsable';
  publicAccessBlock:
    | { state: 'configured'; allFour: boolean; settings: Record<string, boolean> }
    | { state: 'not_configured' }
    | { state: 'unreadable'; errorCode: string };
  coverage: BucketCoverage;
  /** Evidence files this row was computed from. */
  evidence: string[];
}

export interface KeyResult {
  reference: string;
  arn?: string;
  account: string;
  region: string;
  alias?: string;
  manager: 'AWS' | 'CUSTOMER' | 'unknown';
  state?: string;
  rotation:
    | { state: 'enabled'; periodDays?: number; nextRotation?: string }
    | { state: 'disabled' }
    | { state: 'aws_managed' }
    | { state: 'unreadable'; errorCode: string };
  readable: boolean;
  errorCode?: string;
  usedBy: string[];
  evidence: string[];
}

export interface FrameworkRef {
  framework: string;
  /** Prefix for compact lists ("CIS", "SOC 2"); absent in schema-1 packets, whose page shows bare ids. */
  short?: string;
  id: string;
  title: string;
}

export interface FrameworkRequirementResult {
  id: string;
  title: string;
  /** Ids of the controls mapped to it, in the framework file's order. */
  controls: string[];
  /** From the mapped controls' verdicts (after exceptions): any FAIL fails it, then NOT EVALUATED, EXCEPTION, PASS. */
  status: Verdict;
}

/** A framework the packet was made with: what it is, where its ids come from, and each requirement's status. */
export interface FrameworkResult {
  /** The frameworks/*.yaml id, e.g. cis-aws-foundations-v7.0.0. */
  id: string;
  name: string;
  short: string;
  version: string;
  /** Workbook sheet name; also names exports/compliance-<id>.csv's framework column. */
  sheet: string;
  source: string;
  requirements: FrameworkRequirementResult[];
}

export interface ResourceVerdict {
  resource: string;
  verdict: Verdict;
  reason: string;
  evidence: string[];
}

export interface ControlResult {
  id: string;
  title: string;
  /** What passes, from the control's metadata. */
  passes: string;
  verdict: Verdict;
  /** One sentence for the scope, e.g. "40 of 42 buckets". */
  summary: string;
  counts: Record<Verdict, number>;
  resources: ResourceVerdict[];
  references: FrameworkRef[];
  remediation: string;
}

export interface Finding {
  id: string;
  severity: Severity;
  controlId: string;
  resource: string;
  /** The one sentence used in the PDF, the workbook and here. */
  text: string;
  evidence: string[];
}

export interface MissingEvidence {
  scope: string;
  source: string;
  reason: string;
}

export interface CoverageSummary {
  /** Buckets whose coverage was measured from a verified inventory. */
  measuredBuckets: number;
  totalBuckets: number;
  tally: TallyByStatus;
  total: ObjectTally;
  encrypted: ObjectTally;
  unencrypted: ObjectTally;
  objectsPct: number | null;
  bytesPct: number | null;
}

export interface Packet {
  /** 1 for packets made before frameworks were recorded; render reads both. */
  schemaVersion: 1 | typeof PACKET_SCHEMA_VERSION;
  tool: { name: string; version: string };
  tenant: { id: string; displayName: string; timeZone: string };
  operator: string;
  period: { label: string; timeZone: string; startUtc: string; endUtc: string };
  generatedAt: string;
  /** The period had not ended when the evidence was collected: figures may still change. */
  provisional?: true;
  collection: {
    mode: 'offline' | 'live';
    identity?: { arn?: string; account?: string; note?: string };
    configSha256: string;
  };
  status: OverallStatus;
  /** Why: the rule of src/analyze/status.ts applied to this packet (Summary sheet). */
  statusReason: string;
  headline: string;
  completeness: { complete: boolean; missing: MissingEvidence[]; text: string };
  kpis: {
    objectsPct: number | null;
    bytesPct: number | null;
    coverageBasis: string;
    defaultEncryption: { enabled: number; total: number };
    sseEnforced: { yes: number; total: number };
    tlsEnforced: { yes: number; total: number };
    keysRotating: { rotating: number; total: number };
  };
  coverage: CoverageSummary;
  encryptionStatuses: readonly EncryptionStatus[];
  buckets: BucketResult[];
  excludedBuckets: Array<{ name: string; account: string; reason: string }>;
  /** Buckets whose membership depends on tags that could not be read: neither judged nor excluded. */
  scopeUndetermined: Array<{ name: string; account: string; reason: string }>;
  keys: KeyResult[];
  controls: ControlResult[];
  /**
   * The frameworks the tenant's packet shows, in the configured order, with their requirements. Absent in
   * schema-1 packets: those re-render as they were (references on the controls only, no framework sheets).
   */
  frameworks?: FrameworkResult[];
  findings: Finding[];
  /** Filled by later capabilities; until then they say so. */
  sections: {
    deniedUploads: DeniedUploadsSection;
    keyUsage: KeyUsageSection;
    drift: DriftSection;
    awsConfig: AwsConfigSection;
    exceptions: ExceptionsSection;
    trend: TrendSection;
  };
  sources: { inventory: string; accessLogs: string; cloudTrail: string };
  evidence: EvidenceFile[];
}
