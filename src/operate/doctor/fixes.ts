/** The exact AWS CLI commands that close each gap doctor finds; run by the operator, never by the tool. */
import { command, json } from './shell.js';
import type { AdvancedSelector, BasicSelector } from './trail-selectors.js';

const INVENTORY_ID = 's3-evidence-encryption';
const INVENTORY_FIELDS = ['Size', 'LastModifiedDate', 'EncryptionStatus', 'BucketKeyStatus'];

/** Deploy the reader role in the tenant account (run with that account's credentials). */
export function deployReaderRole(args: {
  operatorAccount: string;
  externalId?: string;
  deliveryBuckets: string[];
  region: string;
}): string[] {
  const arns = args.deliveryBuckets.length
    ? args.deliveryBuckets.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]).join(',')
    : 'arn:aws:s3:::REPLACE-WITH-DELIVERY-BUCKET,arn:aws:s3:::REPLACE-WITH-DELIVERY-BUCKET/*';
  return [
    command(
      'aws',
      'cloudformation',
      'deploy',
      '--region',
      args.region,
      '--stack-name',
      's3-evidence-reader',
      '--template-file',
      'iam/reader-role.cfn.yaml',
      '--capabilities',
      'CAPABILITY_NAMED_IAM',
      '--parameter-overrides',
      `OperatorAccountId=${args.operatorAccount}`,
      `ExternalId=${args.externalId ?? 'REPLACE-WITH-EXTERNAL-ID'}`,
      `DeliveryBucketArns=${arns}`,
    ),
  ];
}

/** Re-apply the shipped read-only policy to the role (it lists every action the tool calls). */
export function attachReaderPolicy(roleName: string): string[] {
  return [
    command(
      'aws',
      'iam',
      'put-role-policy',
      '--role-name',
      roleName,
      '--policy-name',
      's3-evidence-reader',
      '--policy-document',
      'file://iam/evidence-reader-policy.json',
    ),
  ];
}

export function enableInventory(args: {
  bucket: string;
  region: string;
  account: string;
  destinationBucket: string;
  prefix: string;
  id?: string;
  frequency?: string;
  extraFields?: string[];
}): string[] {
  const id = args.id ?? INVENTORY_ID;
  const config = {
    Destination: {
      S3BucketDestination: {
        AccountId: args.account,
        Bucket: `arn:aws:s3:::${args.destinationBucket}`,
        Format: 'CSV',
        ...(args.prefix ? { Prefix: args.prefix } : {}),
      },
    },
    IsEnabled: true,
    Id: id,
    IncludedObjectVersions: 'Current',
    OptionalFields: [...new Set([...(args.extraFields ?? []), ...INVENTORY_FIELDS])],
    Schedule: { Frequency: args.frequency ?? 'Daily' },
  };
  return [
    command(
      'aws',
      's3api',
      'put-bucket-inventory-configuration',
      '--region',
      args.region,
      '--bucket',
      args.bucket,
      '--id',
      id,
      '--inventory-configuration',
      json(config),
    ),
  ];
}

export function enableAccessLogging(args: {
  bucket: string;
  region: string;
  targetBucket: string;
  targetPrefix: string;
}): string[] {
  return [
    command(
      'aws',
      's3api',
      'put-bucket-logging',
      '--region',
      args.region,
      '--bucket',
      args.bucket,
      '--bucket-logging-status',
      json({ LoggingEnabled: { TargetBucket: args.targetBucket, TargetPrefix: args.targetPrefix } }),
    ),
  ];
}

export function startTrailLogging(trailArn: string, homeRegion: string): string[] {
  return [command('aws', 'cloudtrail', 'start-logging', '--region', homeRegion, '--name', trailArn)];
}

const S3_WRITE_SELECTOR = (bucket: string): AdvancedSelector => ({
  Name: `s3-evidence: writes to ${bucket}`,
  FieldSelectors: [
    { Field: 'eventCategory', Equals: ['Data'] },
    { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
    { Field: 'readOnly', Equals: ['false'] },
    { Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${bucket}/`] },
  ],
});

const KMS_MANAGEMENT_SELECTOR: AdvancedSelector = {
  Name: 's3-evidence: management events',
  FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
};

/** put-event-selectors on a trail, in its home region, with one kind of selectors (it replaces what the trail had). */
function putEventSelectors(
  trail: { trailArn: string; homeRegion: string },
  flag: '--event-selectors' | '--advanced-event-selectors',
  selectors: unknown[],
): string {
  return command(
    'aws',
    'cloudtrail',
    'put-event-selectors',
    '--region',
    trail.homeRegion,
    '--trail-name',
    trail.trailArn,
    flag,
    json(selectors),
  );
}

/**
 * put-event-selectors replaces a trail's selectors, so the command carries the existing ones plus
 * the one needed: a data resource added to basic selectors, or a selector appended to advanced ones.
 */
export function addS3DataEvents(args: {
  trailArn: string;
  homeRegion: string;
  bucket: string;
  basic?: BasicSelector[];
  advanced?: AdvancedSelector[];
}): string[] {
  if (args.advanced?.length) {
    return [putEventSelectors(args, '--advanced-event-selectors', [...args.advanced, S3_WRITE_SELECTOR(args.bucket)])];
  }
  const basic = args.basic?.length
    ? args.basic
    : [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }];
  const [first, ...rest] = basic;
  const widened: BasicSelector = {
    ...first,
    ReadWriteType: first!.ReadWriteType === 'ReadOnly' ? 'All' : (first!.ReadWriteType ?? 'All'),
    DataResources: [
      ...(first!.DataResources ?? []).filter((d) => d.Type !== 'AWS::S3::Object'),
      {
        Type: 'AWS::S3::Object',
        Values: [
          ...new Set([
            ...(first!.DataResources ?? []).filter((d) => d.Type === 'AWS::S3::Object').flatMap((d) => d.Values ?? []),
            `arn:aws:s3:::${args.bucket}/`,
          ]),
        ],
      },
    ],
  };
  return [putEventSelectors(args, '--event-selectors', [widened, ...rest])];
}

export function addKmsManagementEvents(args: {
  trailArn: string;
  homeRegion: string;
  basic?: BasicSelector[];
  advanced?: AdvancedSelector[];
}): string[] {
  if (args.advanced?.length) {
    return [putEventSelectors(args, '--advanced-event-selectors', [...args.advanced, KMS_MANAGEMENT_SELECTOR])];
  }
  const basic = (args.basic?.length ? args.basic : [{}]).map((s, i) =>
    i === 0
      ? {
          ...s,
          ReadWriteType: 'All',
          IncludeManagementEvents: true,
          ExcludeManagementEventSources: (s.ExcludeManagementEventSources ?? []).filter(
            (x) => x !== 'kms.amazonaws.com',
          ),
        }
      : s,
  );
  return [putEventSelectors(args, '--event-selectors', basic)];
}

/** No trail at all: a multi-region trail with management events and the buckets' write data events. */
export function createTrail(args: { region: string; logBucket: string; buckets: string[] }): string[] {
  const selectors: AdvancedSelector[] = [KMS_MANAGEMENT_SELECTOR, ...args.buckets.map(S3_WRITE_SELECTOR)];
  return [
    command(
      'aws',
      'cloudtrail',
      'create-trail',
      '--region',
      args.region,
      '--name',
      's3-evidence',
      '--s3-bucket-name',
      args.logBucket,
      '--is-multi-region-trail',
      '--enable-log-file-validation',
    ),
    command(
      'aws',
      'cloudtrail',
      'put-event-selectors',
      '--region',
      args.region,
      '--trail-name',
      's3-evidence',
      '--advanced-event-selectors',
      json(selectors),
    ),
    command('aws', 'cloudtrail', 'start-logging', '--region', args.region, '--name', 's3-evidence'),
  ];
}

const CONFIG_TYPES = ['AWS::S3::Bucket', 'AWS::KMS::Key'];

export function recordConfig(args: {
  account: string;
  region: string;
  recorderName?: string;
  recording?: boolean;
  resourceTypes?: string[];
  exists: boolean;
}): string[] {
  const name = args.recorderName ?? 'default';
  const out: string[] = [];
  if (!args.exists || args.resourceTypes) {
    const types = [...new Set([...(args.resourceTypes ?? []), ...CONFIG_TYPES])];
    out.push(
      command(
        'aws',
        'configservice',
        'put-configuration-recorder',
        '--region',
        args.region,
        '--configuration-recorder',
        json({
          name,
          roleARN: `arn:aws:iam::${args.account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
        }),
        '--recording-group',
        json({ allSupported: false, includeGlobalResourceTypes: false, resourceTypes: types }),
      ),
    );
  }
  if (!args.exists) {
    out.push(
      command(
        'aws',
        'configservice',
        'put-delivery-channel',
        '--region',
        args.region,
        '--delivery-channel',
        json({ name: 'default', s3BucketName: 'REPLACE-WITH-CONFIG-BUCKET' }),
      ),
    );
  }
  if (!args.recording)
    out.push(
      command(
        'aws',
        'configservice',
        'start-configuration-recorder',
        '--region',
        args.region,
        '--configuration-recorder-name',
        name,
      ),
    );
  return out;
}

/**
 * No working credentials at all: the operator identity (an SSO profile, a named profile, or the role of
 * the machine it runs on) that may assume the tenants' reader roles.
 */
export function callerCredentialsFix(profile = 's3-evidence'): string[] {
  return [
    `aws configure sso --profile ${profile}   # once: SSO start URL, the operator account, a permission set with sts:AssumeRole on the reader roles`,
    `aws sso login --profile ${profile}`,
    `s3-evidence doctor --profile ${profile}   # or export AWS_PROFILE=${profile}; on EC2, ECS or Lambda give the instance or task role sts:AssumeRole on arn:aws:iam::*:role/S3EvidenceReader instead`,
  ];
}
