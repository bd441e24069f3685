import path from 'node:path';
import type { EvidenceRecord } from '../../evidence/record.js';
import { safeSegment } from '../../evidence/evidence-store.js';
import { isFolder, readCliOutput } from '../offline/cli-export.js';
import { invalidIdentifierRecord } from '../offline/offline-source.js';
import { identifierProblem } from '../../evidence/aws-identifiers.js';
import { REQUESTED_COMPLIANCE_TYPES, type AwsConfigSource } from './source.js';

/** The export's AWS Config folder: `configservice/<region>/…` (README "Offline evidence"). */
export const CONFIG_EXPORT_DIR = 'configservice';

/** Folder name of a resource type in the export: AWS::S3::Bucket -> AWS_S3_Bucket. */
export function resourceTypeFolder(resourceType: string): string {
  return resourceType.replace(/::/g, '_');
}

/** Whether an account's export holds AWS Config files at all (older exports do not). */
export async function hasConfigExport(folder: string): Promise<boolean> {
  return isFolder(path.join(folder, CONFIG_EXPORT_DIR));
}

/** One account's AWS Config evidence from its AWS CLI export. */
export function offlineConfigSource(args: { account: string; folder: string; collectedAt: string }): AwsConfigSource {
  const { account, collectedAt } = args;
  const root = path.join(args.folder, CONFIG_EXPORT_DIR);
  const read = async <T>(
    dir: string,
    name: string,
    operation: string,
    region: string,
    parameters: Record<string, string> = {},
  ) => {
    const call = { operation: `config:${operation}`, parameters, account, region, collectedAt };
    // Resource ids come from evidence (bucket names, key ids): AWS's formats only, never a path of their own.
    const resourceId = parameters.resourceId;
    const problem =
      identifierProblem('region', region) ??
      (resourceId !== undefined && parameters.resourceType === 'AWS::S3::Bucket'
        ? identifierProblem('bucket', resourceId)
        : undefined) ??
      (resourceId !== undefined && parameters.resourceType === 'AWS::KMS::Key'
        ? identifierProblem('kmsKey', resourceId)
        : undefined);
    if (problem) return invalidIdentifierRecord(call, [problem]) as EvidenceRecord<T>;
    return readCliOutput(dir, name, call, args.folder) as Promise<EvidenceRecord<T>>;
  };
  return {
    account,
    mode: 'offline',
    describeRecorders: (region) =>
      read(path.join(root, region), 'describe-configuration-recorders', 'DescribeConfigurationRecorders', region),
    describeRecorderStatus: (region) =>
      read(
        path.join(root, region),
        'describe-configuration-recorder-status',
        'DescribeConfigurationRecorderStatus',
        region,
      ),
    describeRules: (region) => read(path.join(root, region), 'describe-config-rules', 'DescribeConfigRules', region),
    complianceDetails: (region, ruleName) =>
      read(
        path.join(root, region, 'get-compliance-details-by-config-rule'),
        safeSegment(ruleName),
        'GetComplianceDetailsByConfigRule',
        region,
        {
          ConfigRuleName: ruleName,
          ComplianceTypes: REQUESTED_COMPLIANCE_TYPES.join(','),
        },
      ),
    resourceHistory: (region, resourceType, resourceId, window) =>
      read(
        path.join(root, region, 'get-resource-config-history', resourceTypeFolder(resourceType)),
        safeSegment(resourceId),
        'GetResourceConfigHistory',
        region,
        {
          resourceType,
          resourceId,
          earlierTime: window.earlierTime,
          laterTime: window.laterTime,
        },
      ),
    stateBefore: (region, resourceType, resourceId, time) =>
      read(
        path.join(root, region, 'get-resource-config-history', resourceTypeFolder(resourceType)),
        `${safeSegment(resourceId)}.before`,
        'GetResourceConfigHistory',
        region,
        {
          resourceType,
          resourceId,
          laterTime: time,
          limit: '1',
        },
      ),
  };
}
