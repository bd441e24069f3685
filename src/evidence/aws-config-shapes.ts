/**
 * The parts of AWS Config responses this tool reads, as the AWS CLI prints them and as the v3 SDK
 * returns them once serialised to JSON (timestamps as ISO strings, or epoch seconds from old CLIs).
 */
import type { Timestamp } from './aws-shapes.js';

export interface RecordingGroup {
  allSupported?: boolean;
  includeGlobalResourceTypes?: boolean;
  resourceTypes?: string[];
  exclusionByResourceTypes?: { resourceTypes?: string[] };
  recordingStrategy?: { useOnly?: string };
}

export interface DescribeConfigurationRecordersOutput {
  ConfigurationRecorders?: Array<{ name?: string; roleARN?: string; recordingGroup?: RecordingGroup }>;
}

export interface DescribeConfigurationRecorderStatusOutput {
  ConfigurationRecordersStatus?: Array<{
    name?: string;
    recording?: boolean;
    lastStatus?: string;
    lastErrorCode?: string;
    lastErrorMessage?: string;
    lastStartTime?: Timestamp;
    lastStopTime?: Timestamp;
  }>;
}

export interface ConfigRule {
  ConfigRuleName?: string;
  ConfigRuleArn?: string;
  ConfigRuleId?: string;
  Source?: { Owner?: string; SourceIdentifier?: string };
  InputParameters?: string;
  ConfigRuleState?: string;
}

export interface DescribeConfigRulesOutput {
  ConfigRules?: ConfigRule[];
}

export interface EvaluationResult {
  EvaluationResultIdentifier?: {
    EvaluationResultQualifier?: { ConfigRuleName?: string; ResourceType?: string; ResourceId?: string };
    OrderingTimestamp?: Timestamp;
  };
  ComplianceType?: string;
  ResultRecordedTime?: Timestamp;
  ConfigRuleInvokedTime?: Timestamp;
  Annotation?: string;
}

export interface GetComplianceDetailsByConfigRuleOutput {
  EvaluationResults?: EvaluationResult[];
}

export interface ConfigurationItem {
  version?: string;
  accountId?: string;
  configurationItemCaptureTime?: Timestamp;
  configurationItemStatus?: string;
  configurationStateId?: string;
  resourceType?: string;
  resourceId?: string;
  resourceName?: string;
  arn?: string;
  awsRegion?: string;
  /** The resource's configuration as a JSON string. */
  configuration?: string;
  /** Further configuration per attribute name, each value a JSON string (S3: BucketPolicy, ServerSideEncryptionConfiguration, …). */
  supplementaryConfiguration?: Record<string, string>;
  /** CloudTrail event ids of the calls that caused this item. */
  relatedEvents?: string[];
}

export interface GetResourceConfigHistoryOutput {
  configurationItems?: ConfigurationItem[];
}

/** The resource types whose history is read: the tenant's buckets and keys. */
export const BUCKET_TYPE = 'AWS::S3::Bucket';
export const KEY_TYPE = 'AWS::KMS::Key';
export type HistoryResourceType = typeof BUCKET_TYPE | typeof KEY_TYPE;

/**
 * Managed rules that check what this tool's controls check, by `Source.SourceIdentifier` (rule
 * names are chosen by whoever deployed them). Identifiers from the AWS Config managed-rules list.
 */
export const COVERED_RULE_IDENTIFIERS = [
  'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED',
  'S3_BUCKET_SSL_REQUESTS_ONLY',
  'S3_DEFAULT_ENCRYPTION_KMS',
  'CMK_BACKING_KEY_ROTATION_ENABLED',
] as const;
export type CoveredRuleIdentifier = (typeof COVERED_RULE_IDENTIFIERS)[number];

/** The period whose configuration history is read (ISO-8601 UTC; end exclusive in the packet, inclusive for Config). */
export interface HistoryWindow {
  earlierTime: string;
  laterTime: string;
}
