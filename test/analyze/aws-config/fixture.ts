/** A hand-built AWS Config evidence set and the packet facts it is compared with (see section.test.ts for the expected figures). */
import type { CloudTrailScan } from '../../../src/evidence/log-scans.js';
import type { FiledRecord } from '../../../src/evidence/record.js';
import type { BucketResult, ControlResult, KeyResult } from '../../../src/model/packet.js';
import type { Verdict } from '../../../src/model/shared.js';
import type { AwsConfigEvidence } from '../../../src/evidence/aws-config-evidence.js';

export const A = '111111111111';
export const B = '222222222222';
const KEY_ARN = `arn:aws:kms:eu-west-1:${A}:key/k-1`;
export const PERIOD = { startUtc: '2026-10-01T00:00:00Z', endUtc: '2026-11-01T00:00:00Z' };

let n = 0;
function ok<T>(operation: string, response: T, region = 'eu-west-1'): FiledRecord<T> {
  return {
    operation: `config:${operation}`,
    parameters: {},
    account: A,
    region,
    collectedAt: '2026-11-01T06:00:00Z',
    source: 'offline',
    outcome: 'ok',
    response,
    file: `evidence/aws-config/f${++n}.json`,
  };
}
function failed(
  operation: string,
  outcome: 'access_denied' | 'error',
  code: string,
  region = 'eu-west-1',
): FiledRecord<never> {
  return {
    operation: `config:${operation}`,
    parameters: {},
    account: A,
    region,
    collectedAt: '2026-11-01T06:00:00Z',
    source: 'offline',
    outcome,
    error: { code, message: 'denied' },
    file: `evidence/aws-config/f${++n}.json`,
  };
}

const result = (rule: string, type: string, id: string, compliance: string, recordedAt?: string) => ({
  EvaluationResultIdentifier: {
    EvaluationResultQualifier: { ConfigRuleName: rule, ResourceType: type, ResourceId: id },
  },
  ComplianceType: compliance,
  ...(recordedAt ? { ResultRecordedTime: recordedAt } : {}),
});
const sse = (alg: string) => JSON.stringify({ rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: alg } }] });
const sseReordered = (alg: string) => `{"rules":[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"${alg}"}}]}`;
const policy = (sid: string) => JSON.stringify({ policyText: JSON.stringify({ Statement: [{ Sid: sid }] }) });

export function configEvidence(): AwsConfigEvidence {
  return {
    window: { earlierTime: PERIOD.startUtc, laterTime: PERIOD.endUtc },
    extraRules: ['tags', 'missing-rule'],
    accounts: [
      {
        account: A,
        regions: [
          {
            region: 'eu-west-1',
            recorders: ok('DescribeConfigurationRecorders', {
              ConfigurationRecorders: [
                { name: 'default', recordingGroup: { allSupported: false, resourceTypes: ['AWS::S3::Bucket'] } },
              ],
            }),
            recorderStatus: ok('DescribeConfigurationRecorderStatus', {
              ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'SUCCESS' }],
            }),
            rules: ok('DescribeConfigRules', {
              ConfigRules: [
                {
                  ConfigRuleName: 'sse',
                  Source: { Owner: 'AWS', SourceIdentifier: 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED' },
                },
                { ConfigRuleName: 'tls', Source: { Owner: 'AWS', SourceIdentifier: 'S3_BUCKET_SSL_REQUESTS_ONLY' } },
                { ConfigRuleName: 'kms', Source: { Owner: 'AWS', SourceIdentifier: 'S3_DEFAULT_ENCRYPTION_KMS' } },
                {
                  ConfigRuleName: 'rot',
                  Source: { Owner: 'AWS', SourceIdentifier: 'CMK_BACKING_KEY_ROTATION_ENABLED' },
                },
                {
                  ConfigRuleName: 'tags',
                  Source: { Owner: 'CUSTOM_LAMBDA', SourceIdentifier: `arn:aws:lambda:eu-west-1:${A}:function:tags` },
                },
              ],
            }),
            compliance: [
              {
                rule: 'sse',
                record: ok('GetComplianceDetailsByConfigRule', {
                  EvaluationResults: [
                    result('sse', 'AWS::S3::Bucket', 'data', 'COMPLIANT'),
                    result('sse', 'AWS::S3::Bucket', 'logs', 'NON_COMPLIANT', '2026-10-10T00:00:00Z'),
                    result('sse', 'AWS::S3::Bucket', 'not-ours', 'COMPLIANT'),
                  ],
                }),
              },
              {
                rule: 'tls',
                record: ok('GetComplianceDetailsByConfigRule', {
                  EvaluationResults: [result('tls', 'AWS::S3::Bucket', 'data', 'COMPLIANT')],
                }),
              },
              {
                rule: 'kms',
                record: ok('GetComplianceDetailsByConfigRule', {
                  EvaluationResults: [
                    result('kms', 'AWS::S3::Bucket', 'data', 'NON_COMPLIANT'),
                    result('kms', 'AWS::S3::Bucket', 'logs', 'NOT_APPLICABLE'),
                  ],
                }),
              },
              {
                rule: 'rot',
                record: ok('GetComplianceDetailsByConfigRule', {
                  EvaluationResults: [result('rot', 'AWS::KMS::Key', 'k-1', 'NON_COMPLIANT')],
                }),
              },
              {
                rule: 'tags',
                record: ok('GetComplianceDetailsByConfigRule', {
                  EvaluationResults: [result('tags', 'AWS::S3::Bucket', 'data', 'NON_COMPLIANT')],
                }),
              },
            ],
            history: [
              {
                resourceType: 'AWS::S3::Bucket',
                resourceId: 'data',
                record: failed('GetResourceConfigHistory', 'error', 'ResourceNotDiscoveredException'),
                before: failed('GetResourceConfigHistory', 'error', 'ResourceNotDiscoveredException'),
              },
              {
                resourceType: 'AWS::S3::Bucket',
                resourceId: 'logs',
                record: ok('GetResourceConfigHistory', {
                  configurationItems: [
                    {
                      configurationItemCaptureTime: '2026-11-01T00:00:00Z',
                      configurationItemStatus: 'ResourceDeleted',
                    },
                    {
                      configurationItemCaptureTime: '2026-10-20T00:00:00Z',
                      configurationItemStatus: 'OK',
                      supplementaryConfiguration: {
                        ServerSideEncryptionConfiguration: sseReordered('aws:kms'),
                        BucketPolicy: policy('p2'),
                      },
                    },
                    {
                      configurationItemCaptureTime: '2026-10-12T08:00:00Z',
                      configurationItemStatus: 'OK',
                      supplementaryConfiguration: {
                        ServerSideEncryptionConfiguration: sse('aws:kms'),
                        BucketPolicy: policy('p2'),
                      },
                    },
                  ],
                }),
                before: ok('GetResourceConfigHistory', {
                  configurationItems: [
                    {
                      configurationItemCaptureTime: '2026-09-28T00:00:00Z',
                      configurationItemStatus: 'OK',
                      supplementaryConfiguration: {
                        ServerSideEncryptionConfiguration: sse('aws:kms'),
                        BucketPolicy: policy('p1'),
                      },
                    },
                  ],
                }),
              },
              {
                resourceType: 'AWS::KMS::Key',
                resourceId: 'k-1',
                record: ok('GetResourceConfigHistory', {
                  configurationItems: [
                    {
                      configurationItemCaptureTime: 1792051200 /* 2026-10-15T08:00:00Z in epoch seconds, as older CLIs print */,
                      configurationItemStatus: 'OK',
                      configuration: '{"keyState":"Enabled"}',
                      relatedEvents: ['e-9', 'e-1'],
                    },
                  ],
                }),
                before: ok('GetResourceConfigHistory', { configurationItems: [] }),
              },
            ],
          },
          {
            region: 'us-east-1',
            recorders: ok(
              'DescribeConfigurationRecorders',
              { ConfigurationRecorders: [{ name: 'default' }] },
              'us-east-1',
            ),
            recorderStatus: ok(
              'DescribeConfigurationRecorderStatus',
              { ConfigurationRecordersStatus: [{ name: 'default', recording: false }] },
              'us-east-1',
            ),
            rules: failed('DescribeConfigRules', 'access_denied', 'AccessDeniedException', 'us-east-1'),
            compliance: [],
            history: [],
          },
        ],
      },
      { account: B, notCollected: 'the offline export /exports/b has no configservice/ folder', regions: [] },
    ],
  };
}

export const TENANT = {
  accounts: [
    { id: A, regions: ['eu-west-1', 'us-east-1'] },
    { id: B, regions: ['eu-west-1'] },
  ],
} as never;

export const BUCKETS = [
  {
    name: 'data',
    account: A,
    region: 'eu-west-1',
    defaultEncryption: {
      state: 'enabled',
      mode: 'SSE-S3',
      algorithm: 'AES256',
      bucketKeyEnabled: false,
      extraRules: 0,
    },
  },
  {
    name: 'logs',
    account: A,
    region: 'eu-west-1',
    defaultEncryption: {
      state: 'enabled',
      mode: 'SSE-KMS',
      algorithm: 'aws:kms',
      kmsKeyArn: KEY_ARN,
      bucketKeyEnabled: true,
      extraRules: 0,
    },
  },
] as unknown as BucketResult[];

export const KEYS = [
  { reference: KEY_ARN, arn: KEY_ARN, alias: 'alias/acme', account: A, region: 'eu-west-1', manager: 'CUSTOMER' },
] as unknown as KeyResult[];

function control(id: string, title: string, resources: Array<[string, Verdict, string]>): ControlResult {
  return {
    id,
    title,
    resources: resources.map(([resource, verdict, reason]) => ({ resource, verdict, reason, evidence: [] })),
  } as unknown as ControlResult;
}

export const CONTROLS: ControlResult[] = [
  control('s3-default-encryption-enabled', 'Default encryption enabled', [
    ['data', 'pass', 'default encryption SSE-S3 (AES256)'],
    ['logs', 'pass', 'default encryption SSE-KMS (aws:kms)'],
  ]),
  control('s3-policy-denies-insecure-transport', 'Plain HTTP denied', [
    ['data', 'fail', 'no statement denies plain HTTP'],
    ['logs', 'pass', 'DenyInsecureTransport denies every request'],
  ]),
  control('kms-customer-keys-rotate', 'Customer keys rotate', [
    ['alias/acme', 'exception', 'automatic rotation is off for this customer-managed key'],
  ]),
];

/** The CloudTrail summary the packet holds: event e-1 is a key-policy change by an admin role. */
export const CLOUDTRAIL = [
  {
    kmsManagementEvents: [
      {
        keyArn: KEY_ARN,
        time: '2026-10-15T07:59:00Z',
        eventName: 'PutKeyPolicy',
        principal: `arn:aws:iam::${A}:role/admin`,
        kind: 'role',
        eventId: 'e-1',
      },
    ],
    denied: [],
  },
] as unknown as CloudTrailScan[];
