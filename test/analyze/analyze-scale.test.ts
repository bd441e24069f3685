/**
 * Analysis is linear in the number of buckets: evidence of 10,000 buckets (every one referencing a
 * customer key, evaluated by four AWS Config rules, with its configuration history) is analysed
 * within a small multiple of 10x the time of 1,000 such buckets, both measured here (a ratio, not
 * seconds, so a slow or busy machine does not decide the result).
 */
import { describe, expect, it } from 'vitest';
import { analyzeEvidence } from '../../src/analyze/build-packet.js';
import { loadCatalog } from '../../src/analyze/catalog.js';
import type { AwsConfigEvidence } from '../../src/evidence/aws-config-evidence.js';
import type { KeyEvidence } from '../../src/evidence/bundle.js';
import type { FiledRecord } from '../../src/evidence/record.js';
import { loadWording } from '../../src/wording/wording.js';
import { bucketEvidence, failed, kmsRule, ok, tenantEvidence } from '../support/evidence-builders.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const KEYS = 300;
const catalog = loadCatalog();
const wording = loadWording();

const bucketName = (i: number) => `scale-${String(i).padStart(5, '0')}`;
const keyId = (k: number) => `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
const keyArn = (k: number) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId(k)}`;

function configRecord<T>(operation: string, response: T, file: string): FiledRecord<T> {
  return { ...ok(`config:${operation}`, response, file), account: ACCOUNT, region: REGION };
}

const RULES = [
  ['sse', 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED'],
  ['tls', 'S3_BUCKET_SSL_REQUESTS_ONLY'],
  ['kms', 'S3_DEFAULT_ENCRYPTION_KMS'],
  ['rot', 'CMK_BACKING_KEY_ROTATION_ENABLED'],
] as const;

/** AWS Config recording in the region: every bucket evaluated by the bucket rules, every key by rotation, one history each. */
function awsConfig(buckets: number): AwsConfigEvidence {
  const result = (rule: string, type: string, id: string, compliance: string) => ({
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: { ConfigRuleName: rule, ResourceType: type, ResourceId: id },
    },
    ComplianceType: compliance,
    ResultRecordedTime: '2026-10-20T00:00:00Z',
  });
  const history = (type: string, id: string, i: number) => ({
    resourceType: type as 'AWS::S3::Bucket',
    resourceId: id,
    // One in ten refused: missing evidence named per resource.
    record:
      i % 10 === 0
        ? failed('config:GetResourceConfigHistory', 'AccessDeniedException', 'access_denied', `evidence/h/${id}.json`)
        : configRecord(
            'GetResourceConfigHistory',
            {
              configurationItems: [
                {
                  resourceType: type,
                  resourceId: id,
                  configurationItemCaptureTime: '2026-10-05T00:00:00Z',
                  configurationItemStatus: 'OK',
                  configuration: '{}',
                  supplementaryConfiguration: {},
                },
              ],
            },
            `evidence/h/${id}.json`,
          ),
    before: configRecord('GetResourceConfigHistory', { configurationItems: [] }, `evidence/h/${id}-before.json`),
  });
  return {
    window: { earlierTime: '2026-10-01T00:00:00Z', laterTime: '2026-11-01T00:00:00Z' },
    extraRules: [],
    accounts: [
      {
        account: ACCOUNT,
        regions: [
          {
            region: REGION,
            recorders: configRecord(
              'DescribeConfigurationRecorders',
              { ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: true } }] },
              'evidence/c/recorders.json',
            ),
            recorderStatus: configRecord(
              'DescribeConfigurationRecorderStatus',
              { ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'SUCCESS' }] },
              'evidence/c/status.json',
            ),
            rules: configRecord(
              'DescribeConfigRules',
              {
                ConfigRules: RULES.map(([name, id]) => ({
                  ConfigRuleName: name,
                  Source: { Owner: 'AWS', SourceIdentifier: id },
                })),
              },
              'evidence/c/rules.json',
            ),
            compliance: RULES.map(([name]) => ({
              rule: name,
              record: configRecord(
                'GetComplianceDetailsByConfigRule',
                {
                  EvaluationResults:
                    name === 'rot'
                      ? Array.from({ length: KEYS }, (_, k) => result(name, 'AWS::KMS::Key', keyId(k), 'COMPLIANT'))
                      : Array.from({ length: buckets }, (_, i) =>
                          // Every seventh disagrees with the packet: a finding with its explanation.
                          result(name, 'AWS::S3::Bucket', bucketName(i), i % 7 === 0 ? 'NON_COMPLIANT' : 'COMPLIANT'),
                        ),
                },
                `evidence/c/compliance-${name}.json`,
              ),
            })),
            history: [
              ...Array.from({ length: buckets }, (_, i) => history('AWS::S3::Bucket', bucketName(i), i)),
              ...Array.from({ length: KEYS }, (_, k) => history('AWS::KMS::Key', keyId(k), k + 1)),
            ],
          },
        ],
      },
    ],
  };
}

function input(buckets: number) {
  const bucketList = Array.from({ length: buckets }, (_, i) =>
    bucketEvidence({
      name: bucketName(i),
      encryption:
        i % 10 === 3
          ? failed('s3:GetBucketEncryption', 'AccessDenied', 'access_denied')
          : kmsRule('aws:kms', keyArn(i % KEYS)),
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [`arn:aws:s3:::${bucketName(i)}`, `arn:aws:s3:::${bucketName(i)}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    }),
  );
  const keys: KeyEvidence[] = Array.from({ length: KEYS }, (_, k) => ({
    reference: keyArn(k),
    referencedBy: bucketList.filter((_, i) => i % KEYS === k && i % 10 !== 3).map((b) => b.name),
    account: ACCOUNT,
    region: REGION,
    describe: ok('kms:DescribeKey', {
      KeyMetadata: { KeyId: keyId(k), Arn: keyArn(k), KeyManager: 'CUSTOMER', KeyState: 'Enabled' },
    }),
    rotation: ok('kms:GetKeyRotationStatus', { KeyRotationEnabled: k % 2 === 0 }),
  }));
  return {
    evidence: tenantEvidence(bucketList, keys, { accounts: [{ id: ACCOUNT, regions: [REGION] }] }),
    logs: { accessLogs: null, cloudTrail: null },
    governance: null,
    awsConfig: awsConfig(buckets),
    catalog,
    wording,
  };
}

/** Fastest of `runs` analyses after one to warm up, in ms, and the last packet. */
function fastest(buckets: number, runs: number) {
  const given = input(buckets);
  let best = Infinity;
  let packet = analyzeEvidence(given).packet;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    packet = analyzeEvidence(given).packet;
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, packet };
}

describe('analyzeEvidence: time linear in the number of buckets', () => {
  it('analyses 10,000 buckets within 15x the time of 1,000 (linear: 10x)', () => {
    const small = fastest(1_000, 3);
    const big = fastest(10_000, 2);
    // Before lookups replaced scans (a key per bucket, a history and a rule result per resource) this was about 60x.
    expect(big.ms / small.ms).toBeLessThan(15);
    // The analysis did the work: every bucket judged, AWS Config's four rules compared for each.
    expect(big.packet.buckets).toHaveLength(10_000);
    const config = big.packet.sections.awsConfig;
    if (config.state !== 'collected') throw new Error('expected the AWS Config section collected');
    expect(config.counts.evaluations).toBe(3 * 10_000 + KEYS);
    // One in ten encryption reads refused, one in ten bucket histories refused (bucket 0 both).
    expect(big.packet.completeness.missing.filter((m) => m.source === 's3:GetBucketEncryption')).toHaveLength(1_000);
    expect(big.packet.completeness.missing.filter((m) => m.source === 'config:GetResourceConfigHistory')).toHaveLength(
      1_000 + KEYS / 10,
    );
  }, 180_000);
});
