/**
 * Publishing a packet folder with the real S3 client against the fake endpoint: SSE-KMS headers,
 * a SHA-256 checksum S3 verifies, `If-None-Match: *` refusing to overwrite, Object Lock retention.
 */
import { createHash } from 'node:crypto';
import { cp, open, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3ClientFor } from '../../src/collect/live/clients.js';
import { resolveLiveOptions } from '../../src/collect/live/options.js';
import {
  parsePublishUrl,
  publishPacket,
  RECEIPT_FILE,
  uploadOrder,
  type PublishReceipt,
} from '../../src/operate/publish/index.js';
import type { PublishSettings } from '../../src/operate/publish/publish-packet.js';
import { checkFiles, readManifest } from '../../src/workspace/manifest.js';
import { startFakeAws, type FakeAws, type FakeBucket } from '../support/fake-aws/index.js';
import { packetFolder, PACKET_FILES } from './packet-folder.js';

const OPERATOR = '999900000000';
const KMS_KEY = `arn:aws:kms:eu-west-1:${OPERATOR}:key/publish-1`;
let fake: FakeAws;
let dir: string;

const bucket = (name: string): FakeBucket => fake.scenario.accounts[0]!.buckets.find((b) => b.name === name)!;
const client = () =>
  s3ClientFor(
    resolveLiveOptions({ endpoint: fake.endpoint, maxAttempts: 1, timeoutMs: 2000, defaultRegion: 'eu-west-1' }),
    'eu-west-1',
    async () => fake.callerCredentials,
    {
      followRegionRedirects: true,
    },
  );
const sha256b64 = (text: string) => createHash('sha256').update(text).digest('base64');
/** acme's October packet in `packetDir`, published to `url` with the operator's key (and `settings`). */
const publishTo = (packetDir: string, url: string, settings: Partial<PublishSettings> = {}) =>
  publishPacket({
    s3: client(),
    packetDir,
    target: parsePublishUrl(url),
    period: '2026-10',
    tenant: 'acme',
    settings: { kmsKeyId: KMS_KEY, ...settings },
  });

beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDOPERATOR', account: OPERATOR, arn: `arn:aws:iam::${OPERATOR}:role/evidence-runner` },
    accounts: [
      {
        id: OPERATOR,
        buckets: [
          {
            name: 'evidence-archive',
            region: 'eu-west-1',
            versioning: 'Enabled',
            objectLock: { mode: 'COMPLIANCE', days: 1 },
          },
          { name: 'plain-archive', region: 'eu-west-1' },
        ],
      },
    ],
  });
  dir = await packetFolder();
});
afterAll(async () => {
  await fake?.close();
  if (dir) await rm(path.dirname(path.dirname(dir)), { recursive: true, force: true });
});

describe('parsePublishUrl', () => {
  it('normalises the prefix to end in one slash; rejects what is not an s3:// bucket URL', () => {
    expect(parsePublishUrl('s3://evidence-archive/packets')).toEqual({
      bucket: 'evidence-archive',
      prefix: 'packets/',
    });
    expect(parsePublishUrl('s3://evidence-archive/')).toEqual({ bucket: 'evidence-archive', prefix: '' });
    expect(parsePublishUrl('s3://evidence-archive')).toEqual({ bucket: 'evidence-archive', prefix: '' });
    expect(() => parsePublishUrl('https://evidence-archive/x')).toThrow('is not an s3://bucket/prefix/ URL');
    expect(() => parsePublishUrl('s3://Evidence_Archive/x')).toThrow();
  });
  it('uploads the manifest after every file it lists, its signature last, never the receipt', () => {
    expect(
      uploadOrder([
        'a.pdf',
        'manifest.json',
        'manifest.public-key.der',
        'manifest.signature.json',
        'publish-receipt.json',
        'z/e.json',
      ]),
    ).toEqual(['a.pdf', 'z/e.json', 'manifest.json', 'manifest.signature.json', 'manifest.public-key.der']);
  });
});

describe('publishPacket', () => {
  let receipt: PublishReceipt;
  beforeAll(async () => {
    fake.recorder.reset();
    receipt = await publishPacket({
      s3: client(),
      packetDir: dir,
      target: parsePublishUrl('s3://evidence-archive/packets/'),
      period: '2026-10',
      tenant: 'acme',
      settings: { kmsKeyId: KMS_KEY, objectLock: { mode: 'COMPLIANCE', days: 2555 } },
      now: () => new Date('2026-11-02T09:00:00Z'),
    });
  });

  it('uploads every file under <prefix><period>/<tenant>/, manifest after the files it lists', () => {
    expect(receipt.state).toBe('published');
    const puts = fake.recorder.find((c) => c.operation === 'PutObject');
    expect(puts.map((c) => c.key)).toEqual([
      'packets/2026-10/acme/acme-2026-10.pdf',
      'packets/2026-10/acme/evidence/run.json',
      'packets/2026-10/acme/exports/unencrypted-objects.csv',
      'packets/2026-10/acme/packet.json',
      'packets/2026-10/acme/manifest.json',
    ]);
    expect(puts.every((c) => c.status === 200)).toBe(true);
  });

  it('sends a SHA-256 checksum the fake verified against the body, SSE-KMS with the configured key, and retention', () => {
    const up = bucket('evidence-archive').uploads!;
    const csv = up['packets/2026-10/acme/exports/unencrypted-objects.csv']!;
    expect(csv.checksumSha256).toBe(sha256b64(PACKET_FILES['exports/unencrypted-objects.csv']!));
    expect(csv.sse).toBe('aws:kms');
    expect(csv.sseKmsKeyId).toBe(KMS_KEY);
    expect(csv.objectLockMode).toBe('COMPLIANCE');
    // 2026-11-02T09:00Z + 2555 days = 2033-10-31T09:00Z
    expect(new Date(csv.objectLockRetainUntil!).toISOString()).toBe('2033-10-31T09:00:00.000Z');
    expect(receipt.objectLock).toEqual({ mode: 'COMPLIANCE', retainUntil: '2033-10-31T09:00:00.000Z' });
    expect(Object.values(up).every((u) => u.sse === 'aws:kms' && u.checksumSha256)).toBe(true);
    expect(bucket('evidence-archive').objects!['packets/2026-10/acme/packet.json']!.toString()).toBe(
      PACKET_FILES['packet.json'],
    );
  });

  it('records the upload in publish-receipt.json beside the manifest, which still verifies', async () => {
    const stored = JSON.parse(await readFile(path.join(dir, RECEIPT_FILE), 'utf8')) as PublishReceipt;
    expect(stored.uploaded).toHaveLength(5);
    expect(stored.uploaded.find((u) => u.path === 'packet.json')).toMatchObject({
      checksumSha256: sha256b64(PACKET_FILES['packet.json']!),
      versionId: expect.stringMatching(/^v-FAKES3/),
    });
    expect(stored.manifestSha256).toBe(
      createHash('sha256')
        .update(await readFile(path.join(dir, 'manifest.json')))
        .digest('hex'),
    );
    const checks = await checkFiles(dir, await readManifest(dir));
    expect(checks.every((c) => c.state === 'ok')).toBe(true);
    expect(checks.map((c) => c.path)).not.toContain(RECEIPT_FILE);
  });

  it('is idempotent: a second publish of the same bytes finds every object already there (HeadObject checksum) and overwrites nothing', async () => {
    fake.recorder.reset();
    const before = { ...bucket('evidence-archive').uploads! };
    const again = await publishTo(dir, 's3://evidence-archive/packets/');
    expect(again.failure).toBeUndefined();
    expect(again.state).toBe('published');
    expect(again.failure).toBeUndefined();
    expect(again.uploaded.map((u) => [u.path, u.alreadyThere])).toEqual([
      ['acme-2026-10.pdf', true],
      ['evidence/run.json', true],
      ['exports/unencrypted-objects.csv', true],
      ['packet.json', true],
      ['manifest.json', true],
    ]);
    expect(fake.recorder.find((c) => c.operation === 'PutObject').map((c) => c.status)).toEqual([
      412, 412, 412, 412, 412,
    ]);
    expect(fake.recorder.find((c) => c.operation === 'HeadObject')).toHaveLength(5);
    expect(bucket('evidence-archive').uploads).toEqual(before);
  });

  it('different bytes at a key are refused and named; nothing is overwritten and nothing after it is sent', async () => {
    const other = path.join(path.dirname(dir), 'changed');
    await cp(dir, other, { recursive: true });
    await writeFile(path.join(other, 'packet.json'), '{"changed":true}\n');
    fake.recorder.reset();
    const refused = await publishTo(other, 's3://evidence-archive/packets/');
    expect(refused.state).toBe('refused_existing');
    expect(refused.failure).toMatchObject({
      path: 'packet.json',
      key: 'packets/2026-10/acme/packet.json',
      code: 'PreconditionFailed',
      httpStatus: 412,
    });
    expect(refused.failure!.message).toBe(
      `s3://evidence-archive/packets/2026-10/acme/packet.json already exists with different bytes (sha256 ${sha256b64(PACKET_FILES['packet.json']!)}, this packet's ${sha256b64('{"changed":true}\n')})`,
    );
    expect(refused.uploaded.map((u) => u.path)).toEqual([
      'acme-2026-10.pdf',
      'evidence/run.json',
      'exports/unencrypted-objects.csv',
    ]);
    expect(fake.recorder.find((c) => c.operation === 'PutObject')).toHaveLength(4);
    expect(bucket('evidence-archive').objects!['packets/2026-10/acme/packet.json']!.toString()).toBe(
      PACKET_FILES['packet.json'],
    );
  });

  it('an object there without a SHA-256 checksum cannot be shown equal: refused, named', async () => {
    bucket('plain-archive').objects = {
      'y/2026-10/acme/acme-2026-10.pdf': Buffer.from(PACKET_FILES['acme-2026-10.pdf']!),
    };
    const refused = await publishTo(dir, 's3://plain-archive/y/');
    expect(refused.state).toBe('refused_existing');
    expect(refused.failure!.message).toBe(
      's3://plain-archive/y/2026-10/acme/acme-2026-10.pdf already exists without a SHA-256 checksum, so it cannot be shown to hold the same bytes',
    );
    bucket('plain-archive').objects = {};
  });

  it('the endpoint checks the checksum against the body: a wrong one is refused with BadDigest', async () => {
    const err = await client()
      .send(
        new PutObjectCommand({
          Bucket: 'plain-archive',
          Key: 'k',
          Body: Buffer.from('abc'),
          ChecksumSHA256: sha256b64('abd'),
        }),
      )
      .catch((e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });
    expect(err).toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
    expect(bucket('plain-archive').objects ?? {}).toEqual({});
  });

  it('a file it cannot read (past 2 GiB) fails the publish with a receipt naming it; nothing after it is sent', async () => {
    const big = path.join(path.dirname(path.dirname(dir)), 'too-big', '2026-10', 'acme');
    await cp(dir, big, { recursive: true });
    await rm(path.join(big, RECEIPT_FILE), { force: true });
    // Sparse: 2 GiB and one byte on paper, nothing on disk.
    const handle = await open(path.join(big, 'exports', 'unencrypted-objects.csv'), 'r+');
    await handle.truncate(2 ** 31 + 1);
    await handle.close();
    const failed = await publishTo(big, 's3://evidence-archive/big/');
    expect(failed).toMatchObject({
      state: 'failed',
      failure: {
        path: 'exports/unencrypted-objects.csv',
        key: 'big/2026-10/acme/exports/unencrypted-objects.csv',
        code: 'ERR_FS_FILE_TOO_LARGE',
        message: expect.stringMatching(/^exports\/unencrypted-objects\.csv could not be read to upload: /) as string,
      },
    });
    const stored = Object.keys(bucket('evidence-archive').objects ?? {}).filter((k) => k.startsWith('big/'));
    expect(stored).not.toContain('big/2026-10/acme/manifest.json');
    expect(stored).not.toContain('big/2026-10/acme/exports/unencrypted-objects.csv');
    expect(JSON.parse(await readFile(path.join(big, RECEIPT_FILE), 'utf8'))).toEqual(failed);
  });

  it('Object Lock retention on a bucket without Object Lock fails the publish, nothing is stored', async () => {
    const bad = await publishTo(dir, 's3://plain-archive/x/', { objectLock: { mode: 'GOVERNANCE', days: 1 } });
    expect(bad.state).toBe('failed');
    expect(bad.failure).toMatchObject({ code: 'InvalidRequest', httpStatus: 400 });
    expect(bucket('plain-archive').objects ?? {}).toEqual({});
  });
});
