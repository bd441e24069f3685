/** AWS Config from an AWS CLI export: `<name>.json` (stdout) or `<name>.error.txt` (stderr), per the README layout. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodFor } from '../../../src/config/period.js';
import { collectAwsConfigEvidence } from '../../../src/pipeline/collect-aws-config.js';
import { EvidenceWriter } from '../../../src/evidence/evidence-store.js';
import type { AwsConfigEvidence } from '../../../src/evidence/aws-config-evidence.js';
import { tenant } from '../../support/fake-aws/harness.js';

const A = '111111111111';
const B = '222222222222';
let root: string;
let ev: AwsConfigEvidence;

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 's3e-config-export-'));
  const a = path.join(root, 'a');
  const eu = path.join(a, 'configservice', 'eu-west-1');
  // As the CLI prints them: PascalCase lists, camelCase recorder fields, ISO timestamps.
  await put(
    path.join(eu, 'describe-configuration-recorders.json'),
    JSON.stringify({ ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: true } }] }),
  );
  await put(
    path.join(eu, 'describe-configuration-recorder-status.json'),
    JSON.stringify({ ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'SUCCESS' }] }),
  );
  await put(
    path.join(eu, 'describe-config-rules.json'),
    JSON.stringify({
      ConfigRules: [
        { ConfigRuleName: 'tls-only', Source: { Owner: 'AWS', SourceIdentifier: 'S3_BUCKET_SSL_REQUESTS_ONLY' } },
        { ConfigRuleName: 'kms-default', Source: { Owner: 'AWS', SourceIdentifier: 'S3_DEFAULT_ENCRYPTION_KMS' } },
      ],
    }),
  );
  await put(
    path.join(eu, 'get-compliance-details-by-config-rule', 'tls-only.json'),
    JSON.stringify({
      EvaluationResults: [
        {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: {
              ConfigRuleName: 'tls-only',
              ResourceType: 'AWS::S3::Bucket',
              ResourceId: 'acme-data',
            },
          },
          ComplianceType: 'NON_COMPLIANT',
        },
      ],
    }),
  );
  await put(
    path.join(eu, 'get-compliance-details-by-config-rule', 'kms-default.error.txt'),
    '\nAn error occurred (AccessDeniedException) when calling the GetComplianceDetailsByConfigRule operation: User: arn:aws:sts::111111111111:assumed-role/Reader/x is not authorized to perform: config:GetComplianceDetailsByConfigRule\n',
  );
  await put(
    path.join(eu, 'get-resource-config-history', 'AWS_S3_Bucket', 'acme-data.json'),
    JSON.stringify({
      configurationItems: [
        {
          configurationItemCaptureTime: '2026-10-07T09:30:00+00:00',
          configurationItemStatus: 'OK',
          resourceType: 'AWS::S3::Bucket',
          resourceId: 'acme-data',
        },
      ],
    }),
  );
  // acme-data.before.json left out: read as NotExported. us-east-1 has no recorder.
  await put(
    path.join(a, 'configservice', 'us-east-1', 'describe-configuration-recorders.json'),
    JSON.stringify({ ConfigurationRecorders: [] }),
  );
  await put(
    path.join(a, 'configservice', 'us-east-1', 'describe-configuration-recorder-status.json'),
    JSON.stringify({ ConfigurationRecordersStatus: [] }),
  );
  await mkdir(path.join(root, 'b', 's3api'), { recursive: true }); // an export from before AWS Config was read

  const t = tenant({
    id: 'acme',
    accounts: [
      { id: A, offlineExport: a, regions: ['eu-west-1', 'us-east-1'] },
      { id: B, offlineExport: path.join(root, 'b'), regions: ['eu-west-1'] },
    ],
  });
  ev = await collectAwsConfigEvidence({
    tenant: t,
    period: periodFor('2026-10', 'UTC'),
    evidence: { buckets: [{ name: 'acme-data', account: A, region: 'eu-west-1' }] as never, keys: [] },
    writer: new EvidenceWriter(path.join(root, 'packet')),
    collectedAt: '2026-11-01T06:00:00Z',
  });
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('AWS Config from an offline export', () => {
  it('an export without configservice/ leaves its account "not collected", with the reason', () => {
    expect(ev.accounts.find((x) => x.account === B)).toEqual({
      account: B,
      notCollected: `the offline export ${path.join(root, 'b')} has no configservice/ folder`,
      regions: [],
    });
  });

  it('reads <name>.json as the response, with the operation, parameters and export time', () => {
    const eu = ev.accounts[0]!.regions.find((r) => r.region === 'eu-west-1')!;
    expect(eu.recorderStatus).toMatchObject({
      outcome: 'ok',
      source: 'offline',
      operation: 'config:DescribeConfigurationRecorderStatus',
      collectedAt: '2026-11-01T06:00:00Z',
      account: A,
      region: 'eu-west-1',
    });
    expect(eu.compliance.map((c) => [c.rule, c.record.outcome])).toEqual([
      ['kms-default', 'access_denied'],
      ['tls-only', 'ok'],
    ]);
    expect(eu.history[0]!.record).toMatchObject({
      outcome: 'ok',
      parameters: {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'acme-data',
        earlierTime: '2026-10-01T00:00:00Z',
        laterTime: '2026-11-01T00:00:00Z',
      },
    });
  });

  it('<name>.error.txt becomes the error the CLI printed; a file in neither form is NotExported', () => {
    const eu = ev.accounts[0]!.regions.find((r) => r.region === 'eu-west-1')!;
    const denied = eu.compliance.find((c) => c.rule === 'kms-default')!.record;
    expect(denied.outcome !== 'ok' && denied.error.code).toBe('AccessDeniedException');
    expect(eu.history[0]!.before).toMatchObject({ outcome: 'error', error: { code: 'NotExported' } });
  });

  it('a region whose recorders file lists none reads no further files', () => {
    const us = ev.accounts[0]!.regions.find((r) => r.region === 'us-east-1')!;
    expect([us.rules, us.compliance, us.history]).toEqual([undefined, [], []]);
  });
});
