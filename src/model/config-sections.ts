/**
 * The AWS Config section: AWS's own verdicts beside this packet's, and the configuration history of
 * each bucket and key in the period. `not_collected` when no tenant account had Config evidence.
 */
import type { SectionNotCollected, Verdict } from './shared.js';

/** What GetComplianceDetailsByConfigRule says of a resource; NO_RESULT: the rule has no result for it. */
export type AwsVerdict = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA' | 'NO_RESULT';

/**
 * agree / disagree: both sides gave a pass-or-fail verdict. not_comparable: one side has none
 * (NOT_APPLICABLE, INSUFFICIENT_DATA, no result, NOT EVALUATED). no_control: a rule of the tenant's
 * that none of this tool's controls corresponds to.
 */
export type Agreement = 'agree' | 'disagree' | 'not_comparable' | 'no_control';

export interface RecorderRow {
  account: string;
  region: string;
  /** not_collected: no Config evidence for the account (reason in `text`). */
  state: 'recording' | 'not_recording' | 'unreadable' | 'not_collected';
  recorder?: string;
  /** Whether the recorder records AWS::S3::Bucket / AWS::KMS::Key; null when unknown. */
  recordsBuckets: boolean | null;
  recordsKeys: boolean | null;
  lastStatus?: string;
  /** One sentence, e.g. "AWS Config is not recording in 111111111111/eu-west-1". */
  text: string;
  evidence: string[];
}

export interface RuleResourceRow {
  resourceType: string;
  resourceId: string;
  /** The name this packet uses for the resource (bucket name, key alias or ARN). */
  resource: string;
  aws: AwsVerdict;
  /** When AWS recorded its result (ISO UTC). */
  awsRecordedAt?: string;
  annotation?: string;
  /** This packet's verdict for the corresponding control and resource; null when no control corresponds. */
  ours: Verdict | null;
  oursReason?: string;
  agreement: Agreement;
  /** One sentence, for disagreements. */
  explanation?: string;
}

export interface ConfigRuleRow {
  account: string;
  region: string;
  name: string;
  /** The managed rule's Source.SourceIdentifier; null for custom rules. */
  identifier: string | null;
  /** The control of this tool the rule corresponds to; null when none does. */
  controlId: string | null;
  /** evaluated: results read. unreadable: the results call failed. not_found: a rule named in the config that the region does not have. */
  state: 'evaluated' | 'unreadable' | 'not_found';
  reason?: string;
  /** In-scope resources only, sorted by resource. */
  resources: RuleResourceRow[];
  /** Results for resources outside the tenant's scope (other buckets of the account), not listed. */
  outOfScope: number;
  counts: Record<Agreement, number>;
  evidence: string[];
}

export interface ConfigChange {
  /** configurationItemCaptureTime, ISO UTC. */
  time: string;
  /** configurationItemStatus: OK, ResourceDiscovered, ResourceDeleted, … */
  status: string;
  /** What changed against the item before: encryption, policy, public access block, rotation, key state, … */
  changed: string[];
  /** One sentence. */
  summary: string;
  /** The principal of the CloudTrail event behind the change, or "unknown". */
  author: string;
  /** The matched CloudTrail event's name, when one matched. */
  authorEvent?: string;
  /** relatedEvents of the configuration item. */
  eventIds: string[];
}

export interface ResourceHistory {
  account: string;
  region: string;
  resourceType: string;
  resourceId: string;
  resource: string;
  /** read: history read (possibly no change). not_recorded: Config has no record of it. unreadable: the call failed. */
  state: 'read' | 'not_recorded' | 'unreadable';
  reason?: string;
  /** Oldest first, inside the period. */
  changes: ConfigChange[];
  evidence: string[];
}

export interface AwsConfigCollected {
  state: 'collected';
  period: { startUtc: string; endUtc: string };
  recorders: RecorderRow[];
  rules: ConfigRuleRow[];
  history: ResourceHistory[];
  counts: {
    rules: number;
    evaluations: number;
    agree: number;
    disagree: number;
    notComparable: number;
    changes: number;
    notRecording: number;
  };
}

export type AwsConfigSection = SectionNotCollected | AwsConfigCollected;
