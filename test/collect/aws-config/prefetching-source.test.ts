/**
 * A bucket's (and a key's) AWS Config history read ahead, over the wire: started before the AWS Config phase, asked
 * once, handed to the phase, and never asked in a region without a recorder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAwsConfig } from '../../../src/collect/aws-config/index.js';
import { prefetchingConfigSource } from '../../../src/collect/aws-config/prefetching-source.js';
import { liveSources } from '../../../src/collect/live/index.js';
import { EvidenceWriter } from '../../../src/evidence/evidence-store.js';
import type { AwsConfigEvidence } from '../../../src/evidence/aws-config-evidence.js';
import { tenant, testOptions } from '../../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws } from '../../support/fake-aws/index.js';

const A = '111111111111';
const KEY = '0000aaaa-1111-4222-8333-444455556666';
const WINDOW = { earlierTime: '2026-10-01T00:00:00Z', laterTime: '2026-11-01T00:00:00Z' };

let fake: FakeAws;
let dir: string;
let ev: AwsConfigEvidence;
let before: string[];

const sent = (operation: string) =>
  fake.recorder.calls.filter((c) => c.service === 'config' && c.operation === operation).map((c) => c.region);

beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: A, arn: `arn:aws:iam::${A}:user/auditor` },
    accounts: [
      {
        id: A,
        buckets: [
          { name: 'changed', region: 'eu-west-1' },
          { name: 'quiet', region: 'eu-west-1' },
          { name: 'unrecorded', region: 'us-east-1' },
        ],
        configRecorders: [{ region: 'eu-west-1', recording: true, allSupported: true }],
        configHistory: [
          {
            region: 'eu-west-1',
            resourceType: 'AWS::S3::Bucket',
            resourceId: 'changed',
            captureTime: '2026-09-02T00:00:00Z',
          },
          {
            region: 'eu-west-1',
            resourceType: 'AWS::S3::Bucket',
            resourceId: 'changed',
            captureTime: '2026-10-12T00:00:00Z',
          },
          {
            region: 'eu-west-1',
            resourceType: 'AWS::S3::Bucket',
            resourceId: 'quiet',
            captureTime: '2026-08-02T00:00:00Z',
          },
          { region: 'eu-west-1', resourceType: 'AWS::KMS::Key', resourceId: KEY, captureTime: '2026-10-20T00:00:00Z' },
        ],
      },
    ],
  });
  const t = tenant({ id: 'acme', accounts: [{ id: A, regions: ['eu-west-1', 'us-east-1'] }] });
  const setup = await liveSources(t, testOptions(fake));
  dir = await mkdtemp(path.join(os.tmpdir(), 's3e-prefetch-'));
  try {
    const source = prefetchingConfigSource(setup.configSources[0]!, WINDOW);
    source.prefetchBucket('eu-west-1', 'changed');
    source.prefetchBucket('eu-west-1', 'quiet');
    source.prefetchBucket('eu-west-1', 'quiet'); // twice: asked once
    source.prefetchBucket('us-east-1', 'unrecorded');
    source.prefetchKey('eu-west-1', KEY);
    source.prefetchKey('eu-west-1', KEY); // twice: asked once
    source.prefetchKey('us-east-1', KEY); // no recorder there: not asked
    for (let i = 0; i < 200 && sent('GetResourceConfigHistory').length < 5; i++)
      await new Promise((r) => setTimeout(r, 10));
    before = sent('GetResourceConfigHistory');
    ev = await collectAwsConfig({
      tenant: t,
      window: WINDOW,
      buckets: [
        { name: 'changed', account: A, region: 'eu-west-1' },
        { name: 'quiet', account: A, region: 'eu-west-1' },
        { name: 'unrecorded', account: A, region: 'us-east-1' },
      ],
      // Named by its alias: the phase reads the history of the key id DescribeKey gave, the one read ahead.
      keys: [
        {
          reference: 'alias/data',
          account: A,
          region: 'eu-west-1',
          describe: {
            file: `evidence/accounts/${A}/kms/eu-west-1/${KEY}/describe-key.json`,
            operation: 'kms:DescribeKey',
            parameters: { KeyId: KEY },
            account: A,
            region: 'eu-west-1',
            collectedAt: '2026-11-02T08:00:00Z',
            source: 'live',
            outcome: 'ok',
            response: { KeyMetadata: { KeyId: KEY } },
          },
        },
      ],
      sources: [source],
      notCollected: [],
      writer: new EvidenceWriter(dir),
    });
  } finally {
    setup.close();
  }
}, 30_000);

afterAll(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('history read ahead', () => {
  it('starts the period history reads, and the state before a period of changes, before the AWS Config phase, where a recorder records', () => {
    // changed, quiet and the key's period; the state before the period of changed and of the key, which changed in it.
    expect(before).toEqual(['eu-west-1', 'eu-west-1', 'eu-west-1', 'eu-west-1', 'eu-west-1']);
  });

  it('asks each region for its recorders and each bucket for its period once; the state before only for the changed one', () => {
    expect(sent('DescribeConfigurationRecorders').sort()).toEqual(['eu-west-1', 'us-east-1']);
    // changed: its period and the state before it; quiet: its period; unrecorded: nothing (no recorder there);
    // the key: its period and the state before it.
    expect(sent('GetResourceConfigHistory')).toEqual(['eu-west-1', 'eu-west-1', 'eu-west-1', 'eu-west-1', 'eu-west-1']);
  });

  it('hands the answers read ahead to the phase, filed like any other', () => {
    const eu = ev.accounts[0]!.regions.find((r) => r.region === 'eu-west-1')!;
    expect(
      eu.history.map((h) => [
        h.resourceId,
        h.record.outcome === 'ok' ? h.record.response.configurationItems?.length : h.record.outcome,
        h.before?.outcome,
      ]),
    ).toEqual([
      ['changed', 1, 'ok'],
      ['quiet', 0, undefined],
      [KEY, 1, 'ok'],
    ]);
    expect(eu.history[2]!.record.file).toBe(
      `evidence/aws-config/${A}/eu-west-1/get-resource-config-history/AWS_KMS_Key/${KEY}.json`,
    );
    expect(eu.history[0]!.record.file).toBe(
      `evidence/aws-config/${A}/eu-west-1/get-resource-config-history/AWS_S3_Bucket/changed.json`,
    );
    const us = ev.accounts[0]!.regions.find((r) => r.region === 'us-east-1')!;
    expect(us.history).toEqual([]);
  });
});
