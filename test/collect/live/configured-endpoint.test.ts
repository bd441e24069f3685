/**
 * An endpoint named by the environment (the SDKs' AWS_ENDPOINT_URL settings) is a stand-in, which
 * answers S3 path-style: unit cases for the reading, then a whole `run` through the CLI against the
 * wire-level fake named as `localhost`, where virtual-hosted addressing asks for a host that does not
 * resolve (`<bucket>.localhost`).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3EndpointFromEnvironment } from '../../../src/collect/live/configured-endpoint.js';
import { resolveLiveOptions } from '../../../src/collect/live/options.js';
import type { Packet } from '../../../src/model/packet.js';
import { captured, cli } from '../../support/cli.js';
import { startFakeAws, type FakeAws } from '../../support/fake-aws/index.js';

describe('s3EndpointFromEnvironment', () => {
  it('takes AWS_ENDPOINT_URL_S3 before AWS_ENDPOINT_URL', () => {
    expect(s3EndpointFromEnvironment({ AWS_ENDPOINT_URL: 'http://a:1' })).toBe('http://a:1');
    expect(s3EndpointFromEnvironment({ AWS_ENDPOINT_URL_S3: 'http://s3:2', AWS_ENDPOINT_URL: 'http://a:1' })).toBe(
      'http://s3:2',
    );
    // Another service's endpoint says nothing about S3.
    expect(s3EndpointFromEnvironment({ AWS_ENDPOINT_URL_KMS: 'http://kms:3' })).toBeUndefined();
    expect(s3EndpointFromEnvironment({ AWS_ENDPOINT_URL: '  ' })).toBeUndefined();
    expect(s3EndpointFromEnvironment({})).toBeUndefined();
  });

  it('names none when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true', () => {
    const env = { AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_S3: 'http://s3:2' };
    expect(s3EndpointFromEnvironment({ ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBeUndefined();
    expect(s3EndpointFromEnvironment({ ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'TRUE' })).toBeUndefined();
    expect(s3EndpointFromEnvironment({ ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' })).toBe('http://s3:2');
  });
});

describe('path-style S3', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  it('is on with an endpoint from the environment, off for AWS itself, and as asked when asked', () => {
    delete process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL_S3;
    delete process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
    expect(resolveLiveOptions({}).forcePathStyle).toBe(false);
    process.env.AWS_ENDPOINT_URL = 'http://localhost:4566';
    expect(resolveLiveOptions({}).forcePathStyle).toBe(true);
    expect(resolveLiveOptions({ forcePathStyle: false }).forcePathStyle).toBe(false);
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';
    expect(resolveLiveOptions({}).forcePathStyle).toBe(false);
  });
});

describe('a run whose endpoint comes from AWS_ENDPOINT_URL (named localhost)', () => {
  const saved = { ...process.env };
  let fake: FakeAws;
  let work: string;
  let code: number;
  let packet: Packet;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'env-endpoint-'));
    fake = await startFakeAws({
      caller: { accessKeyId: 'AKIDRUNNER', account: '123456789012', arn: 'arn:aws:iam::123456789012:role/runner' },
      accounts: [
        {
          id: '111122223333',
          role: { name: 'EvidenceReader' },
          buckets: [
            { name: 'ledger-prod', region: 'eu-west-1', encryption: { algorithm: 'AES256' } },
            { name: 'ledger-archive', region: 'eu-west-1', encryption: { algorithm: 'AES256' } },
          ],
        },
      ],
    });
    const config = path.join(work, 'tenants.yaml');
    await writeFile(
      config,
      `version: 1
tenants:
  - id: ledger
    displayName: Ledger Co
    accounts:
      - id: "111122223333"
        roleArn: arn:aws:iam::111122223333:role/EvidenceReader
        regions: [eu-west-1]
`,
    );
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDRUNNER',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: fake.endpoint.replace('127.0.0.1', 'localhost'),
    });
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_ENDPOINT_URL_S3;
    delete process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
    code = await cli('run', '--config', config, '--period', '2026-10', '--out', path.join(work, 'out'), '--quiet');
    packet = JSON.parse(
      await readFile(path.join(work, 'out', '2026-10', 'ledger', 'packet.json'), 'utf8').catch(() => {
        throw new Error(`no packet (exit ${code}): ${captured.err}`);
      }),
    ) as Packet;
  }, 120_000);

  afterAll(async () => {
    process.env = saved;
    await fake?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('reads every bucket path-style from the stand-in', () => {
    const reads = fake.recorder.calls.filter((c) => c.service === 's3' && c.operation === 'GetBucketEncryption');
    expect(reads.map((c) => c.bucket).sort()).toEqual(['ledger-archive', 'ledger-prod']);
    expect(packet.buckets.map((b) => [b.name, b.defaultEncryption.state])).toEqual([
      ['ledger-archive', 'enabled'],
      ['ledger-prod', 'enabled'],
    ]);
    // No bucket's encryption is missing: the calls reached the stand-in, none failed on a host name.
    expect(packet.completeness.missing.filter((m) => m.reason.includes('GetBucketEncryption'))).toEqual([]);
    expect(captured.err).not.toContain('ENOTFOUND');
  });
});
