import type { EvidenceRecord } from '../../evidence/record.js';
import type {
  DescribeConfigRulesOutput,
  DescribeConfigurationRecordersOutput,
  DescribeConfigurationRecorderStatusOutput,
  GetComplianceDetailsByConfigRuleOutput,
  GetResourceConfigHistoryOutput,
  HistoryResourceType,
  HistoryWindow,
} from '../../evidence/aws-config-shapes.js';

/** AWS Config API operations read, with their IAM actions (the same names: config:<Operation>). */
const CONFIG_OPERATIONS = [
  'DescribeConfigurationRecorders',
  'DescribeConfigurationRecorderStatus',
  'DescribeConfigRules',
  'GetComplianceDetailsByConfigRule',
  'GetResourceConfigHistory',
] as const;
export type ConfigOperation = (typeof CONFIG_OPERATIONS)[number];

export const CONFIG_IAM_ACTION: Record<ConfigOperation, string> = Object.fromEntries(
  CONFIG_OPERATIONS.map((op) => [op, `config:${op}`]),
) as Record<ConfigOperation, string>;

/** The compliance types asked for: without NOT_APPLICABLE in the filter, AWS leaves those results out. */
export const REQUESTED_COMPLIANCE_TYPES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'] as const;

/**
 * Where one account's AWS Config evidence comes from: live API calls or an AWS CLI export. Every
 * method resolves to an evidence record (paginated calls: every page merged into one response) and
 * never throws for an AWS-side failure.
 */
export interface AwsConfigSource {
  readonly account: string;
  readonly mode: 'offline' | 'live';
  describeRecorders(region: string): Promise<EvidenceRecord<DescribeConfigurationRecordersOutput>>;
  describeRecorderStatus(region: string): Promise<EvidenceRecord<DescribeConfigurationRecorderStatusOutput>>;
  describeRules(region: string): Promise<EvidenceRecord<DescribeConfigRulesOutput>>;
  complianceDetails(region: string, ruleName: string): Promise<EvidenceRecord<GetComplianceDetailsByConfigRuleOutput>>;
  resourceHistory(
    region: string,
    resourceType: HistoryResourceType,
    resourceId: string,
    window: HistoryWindow,
  ): Promise<EvidenceRecord<GetResourceConfigHistoryOutput>>;
  /** The newest configuration item at or before `time` (one item, no pagination): what the period's first change changed from. */
  stateBefore(
    region: string,
    resourceType: HistoryResourceType,
    resourceId: string,
    time: string,
  ): Promise<EvidenceRecord<GetResourceConfigHistoryOutput>>;
}
