/**
 * AWS Config through the wire: the real ConfigServiceClient against the fake endpoint's JSON 1.1
 * answers. One account records in eu-west-1 and has no recorder in us-east-1 ("not recording", a
 * state); a second account refuses every Config call (AccessDenied, evidence of what could not be read).
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAwsConfig, hasNoRecorder } from '../../../src/collect/aws-config/index.js';
import { liveSources } from '../../../src/collect/live/index.js';
import type { FiledRecord } from '../../../src/evidence/record.js';
import { EvidenceWriter } from '../../../src/evidence/evidence-store.js';
import {
  loadAwsConfigEvidence,
  writeAwsConfigEvidence,
  type AwsConfigEvidence,
} from '../../../src/evidence/aws-config-evidence.js';
import { tenant, testOptions } from '../../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws } from '../../support/fake-aws/index.js';

const A = '111111111111';
const B = '222222222222';
const sse = (algorithm: string) =>
  JSON.stringify({ rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm } }] });

let fake: FakeAws;
let dir: string;
let ev: AwsConfigEvidence;

const okDescribe = (keyId: string): FiledRecord => ({
  operation: 'kms:DescribeKey',
  parameters: { KeyId: keyId },
  account: A,
  region: 'eu-west-1',
  collectedAt: '2026-11-01T00:00:00Z',
  source: 'live',
  outcome: 'ok',
  response: { KeyMetadata: { KeyId: keyId } },
  file: 'evidence/x.json',
});

beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: '999900000000', arn: 'arn:aws:iam::999900000000:user/auditor' },
    configPageCap: 1, // every list comes one item per page: pagination is exercised with few items
    accounts: [
      {
        id: A,
        role: { name: 'EvidenceReader' },
        buckets: [],
        configRecorders: [{ region: 'eu-west-1', recording: true }],
        configRules: [
          {
            region: 'eu-west-1',
            name: 'org-s3-sse',
            sourceIdentifier: 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED',
            results: [
              { resourceType: 'AWS::S3::Bucket', resourceId: 'acme-data', compliance: 'COMPLIANT' },
              { resourceType: 'AWS::S3::Bucket', resourceId: 'acme-logs', compliance: 'NON_COMPLIANT' },
              { resourceType: 'AWS::S3::Bucket', resourceId: 'someone-else', compliance: 'COMPLIANT' },
            ],
          },
          {
            region: 'eu-west-1',
            name: 'cmk-rotation',
            sourceIdentifier: 'CMK_BACKING_KEY_ROTATION_ENABLED',
            results: [{ resourceType: 'AWS::KMS::Key', resourceId: 'k-1', compliance: 'COMPLIANT' }],
          },
          { region: 'eu-west-1', name: 'team-tagging', sourceIdentifier: 'REQUIRED_TAGS' },
          { region: 'eu-west-1', name: 'iam-password', sourceIdentifier: 'IAM_PASSWORD_POLICY' },
        ],
        configHistory: [
          {
            region: 'eu-west-1',
            resourceType: 'AWS::S3::Bucket',
            resourceId: 'acme-data',
            captureTime: '2026-09-20T08:00:00Z',
            supplementaryConfiguration: { ServerSideEncryptionConfiguration: sse('aws:kms') },
          },
          {
            region: 'eu-west-1',
            resourceType: 'AWS::S3::Bucket',
            resourceId: 'acme-data',
            captureTime: '2026-10-05T10:00:00Z',
            supplementaryConfiguration: { ServerSideEncryptionConfiguration: sse('AES256') },
            relatedEvents: ['ev-1'],
          },
          {
            region: 'eu-west-1',
            resourceType: 'AWS::S3::Bucket',
            resourceId: 'acme-data',
            captureTime: '2026-10-20T10:00:00Z',
            supplementaryConfiguration: {
              ServerSideEncryptionConfiguration: sse('AES256'),
              BucketPolicy: '{"policyText":"{}"}',
            },
          },
          {
            region: 'eu-west-1',
            resourceType: 'AWS::S3::Bucket',
            resourceId: 'acme-data',
            captureTime: '2026-11-03T10:00:00Z',
          },
          // Recorded, but unchanged in the period: its history is read (empty), the state before it is not.
          {
            region: 'eu-west-1',
            resourceType: 'AWS::KMS::Key',
            resourceId: 'k-1',
            captureTime: '2026-08-01T00:00:00Z',
          },
        ],
      },
      { id: B, role: { name: 'EvidenceReader' }, buckets: [] },
    ],
    faults: [
      {
        service: 'config',
        account: B,
        action: {
          kind: 'error',
          code: 'AccessDeniedException',
          status: 400,
          message: 'User is not authorized to perform: config:Describe*',
        },
      },
    ],
  });
  const t = tenant({
    id: 'acme',
    accounts: [
      { id: A, roleArn: `arn:aws:iam::${A}:role/EvidenceReader`, regions: ['us-east-1', 'eu-west-1'] },
      { id: B, roleArn: `arn:aws:iam::${B}:role/EvidenceReader`, regions: ['eu-west-1'] },
    ],
    awsConfigRules: ['team-tagging', 'not-deployed'],
  });
  const setup = await liveSources(t, testOptions(fake));
  dir = await mkdtemp(path.join(os.tmpdir(), 's3e-config-'));
  try {
    const writer = new EvidenceWriter(dir);
    ev = await collectAwsConfig({
      tenant: t,
      window: { earlierTime: '2026-10-01T00:00:00Z', laterTime: '2026-11-01T00:00:00Z' },
      buckets: [
        { name: 'acme-data', account: A, region: 'eu-west-1' },
        { name: 'acme-logs', account: A, region: 'eu-west-1' },
        { name: 'acme-us', account: A, region: 'us-east-1' },
        { name: 'bee-data', account: B, region: 'eu-west-1' },
      ],
      keys: [
        {
          reference: `arn:aws:kms:eu-west-1:${A}:alias/acme`,
          account: A,
          region: 'eu-west-1',
          describe: okDescribe('k-1') as never,
        },
      ],
      sources: setup.configSources,
      notCollected: [],
      writer,
    });
    await writeAwsConfigEvidence(writer, ev);
  } finally {
    setup.close();
  }
}, 30_000);

afterAll(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const region = (account: string, name: string) =>
  ev.accounts.find((a) => a.account === account)!.regions.find((r) => r.region === name)!;

describe('AWS Config over the wire', () => {
  it('reads every configured region of every account, in order', () => {
    expect(ev.accounts.map((a) => [a.account, a.notCollected, a.regions.map((r) => r.region)])).toEqual([
      [A, undefined, ['eu-west-1', 'us-east-1']],
      [B, undefined, ['eu-west-1']],
    ]);
  });

  it('a region without a recorder is "not recording": recorders answered with none, nothing further read', () => {
    const us = region(A, 'us-east-1');
    expect(us.recorders).toMatchObject({
      outcome: 'ok',
      operation: 'config:DescribeConfigurationRecorders',
      response: { ConfigurationRecorders: [] },
      region: 'us-east-1',
      account: A,
    });
    expect(hasNoRecorder(us.recorders)).toBe(true);
    expect(us.rules).toBeUndefined();
    expect([us.compliance, us.history]).toEqual([[], []]);
    expect(
      fake.recorder.calls
        .filter((c) => c.service === 'config' && c.region === 'us-east-1')
        .map((c) => c.operation)
        .sort(),
    ).toEqual(['DescribeConfigurationRecorderStatus', 'DescribeConfigurationRecorders']);
  });

  it('reads the recorder, its status, and the rules covering the controls plus the named ones, by identifier', () => {
    const eu = region(A, 'eu-west-1');
    expect(eu.recorderStatus).toMatchObject({
      outcome: 'ok',
      response: { ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'Success' }] },
    });
    expect(eu.rules?.outcome).toBe('ok');
    // iam-password is neither a covered managed rule nor named in the config; not-deployed does not exist.
    expect(eu.compliance.map((c) => c.rule)).toEqual(['cmk-rotation', 'org-s3-sse', 'team-tagging']);
  });

  it('merges every page of the compliance results; one request id per page', () => {
    const rec = region(A, 'eu-west-1').compliance.find((c) => c.rule === 'org-s3-sse')!.record;
    expect(rec.outcome).toBe('ok');
    if (rec.outcome !== 'ok') return;
    expect(
      rec.response.EvaluationResults?.map((r) => [
        r.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId,
        r.ComplianceType,
      ]),
    ).toEqual([
      ['acme-data', 'COMPLIANT'],
      ['acme-logs', 'NON_COMPLIANT'],
      ['someone-else', 'COMPLIANT'],
    ]);
    expect(rec.requestId?.split(',')).toHaveLength(3);
    expect(rec.parameters).toEqual({
      ConfigRuleName: 'org-s3-sse',
      ComplianceTypes: 'COMPLIANT,NON_COMPLIANT,NOT_APPLICABLE',
    });
    const sent = fake.recorder.calls.filter(
      (c) => c.operation === 'GetComplianceDetailsByConfigRule' && c.account === A,
    );
    expect(sent).toHaveLength(3 + 1 + 1); // org-s3-sse over 3 pages, cmk-rotation 1, team-tagging 1 (empty)
  });

  it('reads each bucket and key of the region: the period (paginated, timestamps as ISO) and the state before it', () => {
    const eu = region(A, 'eu-west-1');
    expect(eu.history.map((h) => [h.resourceType, h.resourceId])).toEqual([
      ['AWS::S3::Bucket', 'acme-data'],
      ['AWS::S3::Bucket', 'acme-logs'],
      ['AWS::KMS::Key', 'k-1'],
    ]);
    const data = eu.history[0]!;
    expect(
      data.record.outcome === 'ok' &&
        data.record.response.configurationItems?.map((i) => [i.configurationItemCaptureTime, i.relatedEvents ?? []]),
    ).toEqual([
      ['2026-10-20T10:00:00.000Z', []],
      ['2026-10-05T10:00:00.000Z', ['ev-1']],
    ]);
    expect(data.record.parameters).toEqual({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'acme-data',
      earlierTime: '2026-10-01T00:00:00Z',
      laterTime: '2026-11-01T00:00:00Z',
    });
    expect(
      data.before?.outcome === 'ok' &&
        data.before.response.configurationItems?.map((i) => i.configurationItemCaptureTime),
    ).toEqual(['2026-09-20T08:00:00.000Z']);
    expect(data.record.file).toBe(
      `evidence/aws-config/${A}/eu-west-1/get-resource-config-history/AWS_S3_Bucket/acme-data.json`,
    );
    expect(data.before?.file).toBe(
      `evidence/aws-config/${A}/eu-west-1/get-resource-config-history/AWS_S3_Bucket/acme-data.before.json`,
    );
    // Config has no record of acme-logs: an error code the analysis reads as "not recorded".
    expect(eu.history[1]!.record).toMatchObject({
      outcome: 'error',
      error: { code: 'ResourceNotDiscoveredException' },
    });
  });

  it('reads the state before the period only for a resource the period changed', () => {
    const eu = region(A, 'eu-west-1');
    const k1 = eu.history[2]!;
    expect(k1.record.outcome === 'ok' && k1.record.response.configurationItems).toEqual([]);
    expect(eu.history.map((h) => [h.resourceId, h.before === undefined])).toEqual([
      ['acme-data', false],
      ['acme-logs', true],
      ['k-1', true],
    ]);
    // acme-data: its period in 2 pages (one item per page) and the state before it; acme-logs and k-1: one call each.
    const sent = fake.recorder.calls.filter(
      (c) => c.operation === 'GetResourceConfigHistory' && c.account === A && c.region === 'eu-west-1',
    );
    expect(sent).toHaveLength(5);
  });

  it('AccessDenied: every call of the refusing account is an access_denied record, and collection goes on', () => {
    const b = region(B, 'eu-west-1');
    expect(b.recorders).toMatchObject({
      outcome: 'access_denied',
      error: { code: 'AccessDeniedException', httpStatus: 400 },
    });
    expect(b.recorderStatus.outcome).toBe('access_denied');
    expect(b.rules?.outcome).toBe('access_denied');
    expect(b.compliance).toEqual([]);
    expect(b.history.map((h) => [h.resourceId, h.record.outcome, h.before])).toEqual([
      ['bee-data', 'access_denied', undefined],
    ]);
  });

  it('the evidence folder holds every record and an index that loads back to the same evidence', async () => {
    const loaded = await loadAwsConfigEvidence(dir);
    expect(loaded).toEqual(JSON.parse(JSON.stringify(ev)));
    const onDisk = JSON.parse(
      await readFile(
        path.join(dir, 'evidence', 'aws-config', A, 'us-east-1', 'describe-configuration-recorders.json'),
        'utf8',
      ),
    ) as { source: string };
    expect(onDisk.source).toBe('live');
  });
});
