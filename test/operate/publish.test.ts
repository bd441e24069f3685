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
import { partBytesFor } from '../../src/operate/publish/upload-parts.js';
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
const publishTo = (packetDir: string, url: string, settings: Partial<PublishSettings> = {}, partBytes?: number) =>
  publishPacket({
    s3: client(),
    packetDir,
    target: parsePublishUrl(url),
    period: '2026-10',
    tenant: 'acme',
    settings: { kmsKeyId: KMS_KEY, ...settings },
    ...(partBytes !== undefined ? { partBytes } : {}),
  });

/** A copy of acme's packet folder under `name`, without a receipt, its export replaced by `csv`. */
async function packetWithExport(name: string, csv: Buffer | undefined): Promise<string> {
  const copy = path.join(path.dirname(path.dirname(dir)), name, '2026-10', 'acme');
  await cp(dir, copy, { recursive: true });
  await rm(path.join(copy, RECEIPT_FILE), { force: true });
  if (csv) await writeFile(path.join(copy, 'exports', 'unencrypted-objects.csv'), csv);
  return copy;
}

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

  it('a file it cannot read fails the publish with a receipt naming it; nothing after it is sent', async () => {
    const big = await packetWithExport('too-big', undefined);
    // Sparse: 2 GiB and one byte on paper, nothing on disk; with parts larger than that it is read whole, which Node refuses.
    const handle = await open(path.join(big, 'exports', 'unencrypted-objects.csv'), 'r+');
    await handle.truncate(2 ** 31 + 1);
    await handle.close();
    const failed = await publishTo(big, 's3://evidence-archive/big/', {}, 2 ** 32);
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

describe('publishPacket: a file larger than a part goes up in parts', () => {
  const MIB = 1024 * 1024;
  const PART = 5 * MIB;
  // 12 MiB and 3 bytes: parts of 5, 5 and 2 MiB + 3 bytes.
  const csv = Buffer.alloc(12 * MIB + 3);
  for (let i = 0; i < csv.length; i++) csv[i] = (i * 31 + (i >> 12)) & 0xff;
  const KEY = 'parts/2026-10/acme/exports/unencrypted-objects.csv';
  const digest = (b: Buffer) => createHash('sha256').update(b).digest();
  /** Publishes `packet` to s3://evidence-archive/parts/ with retention, in 5 MiB parts. */
  const publishInParts = (packet: string) =>
    publishTo(packet, 's3://evidence-archive/parts/', { objectLock: { mode: 'COMPLIANCE', days: 1 } }, PART);
  /** S3's composite SHA-256 of `b` in parts of PART, worked out here: the digest of the three parts' digests, then -3. */
  const compositeOf = (b: Buffer) =>
    `${createHash('sha256')
      .update(Buffer.concat([b.subarray(0, PART), b.subarray(PART, 2 * PART), b.subarray(2 * PART)].map(digest)))
      .digest('base64')}-3`;
  const composite = compositeOf(csv);
  let packet: string;
  let receipt: PublishReceipt;

  beforeAll(async () => {
    packet = await packetWithExport('in-parts', csv);
    fake.recorder.reset();
    receipt = await publishInParts(packet);
  });

  it('creates the upload with SSE-KMS and retention, sends three parts with their SHA-256, completes it conditionally', () => {
    expect(receipt.state).toBe('published');
    const calls = fake.recorder.find((c) => c.key === KEY).map((c) => c.operation);
    expect(calls).toEqual([
      'CreateMultipartUpload',
      'UploadPart',
      'UploadPart',
      'UploadPart',
      'CompleteMultipartUpload',
    ]);
    const stored = bucket('evidence-archive').objects![KEY] as Buffer;
    expect(stored.equals(csv)).toBe(true);
    expect(bucket('evidence-archive').uploads![KEY]).toMatchObject({
      checksumSha256: composite,
      parts: 3,
      sse: 'aws:kms',
      sseKmsKeyId: KMS_KEY,
      objectLockMode: 'COMPLIANCE',
    });
    // The manifest still goes up last, after the file in parts.
    const keys = fake.recorder.find((c) => c.status === 200).map((c) => c.key);
    expect(keys.at(-1)).toBe('parts/2026-10/acme/manifest.json');
  });

  it('the receipt holds the composite checksum S3 gave, the size and the version', () => {
    expect(receipt.uploaded.find((u) => u.path === 'exports/unencrypted-objects.csv')).toEqual({
      path: 'exports/unencrypted-objects.csv',
      key: KEY,
      size: csv.length,
      checksumSha256: composite,
      etag: expect.stringMatching(/^"[0-9a-f]{32}-3"$/) as string,
      versionId: expect.stringMatching(/^v-/) as string,
      requestId: expect.any(String) as string,
    });
  });

  it('publishing again finds the same bytes there: the upload is aborted and the object counts as already there', async () => {
    const aborted = bucket('evidence-archive').abortedUploads?.length ?? 0;
    await rm(path.join(packet, RECEIPT_FILE));
    const again = await publishInParts(packet);
    expect(again.state).toBe('published');
    expect(again.uploaded.find((u) => u.key === KEY)).toEqual({
      path: 'exports/unencrypted-objects.csv',
      key: KEY,
      size: csv.length,
      checksumSha256: composite,
      alreadyThere: true,
    });
    expect(bucket('evidence-archive').abortedUploads!.length).toBe(aborted + 1);
    expect(Object.keys(bucket('evidence-archive').multipartUploads ?? {})).toEqual([]);
  });

  it('S3 answering another composite checksum than the parts sent give fails the publish as ChecksumMismatch, nothing after it sent', async () => {
    const lied = await packetWithExport('parts-lied', csv);
    const aborted = bucket('evidence-archive').abortedUploads?.length ?? 0;
    const s3 = client();
    // The answer as the SDK parsed it, its checksum changed: what a corrupted answer would look like.
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'CompleteMultipartUploadCommand')
          (result.output as { ChecksumSHA256?: string }).ChecksumSHA256 = 'AAAA-3';
        return result;
      },
      { step: 'initialize' },
    );
    const failed = await publishPacket({
      s3,
      packetDir: lied,
      target: parsePublishUrl('s3://evidence-archive/lied/'),
      period: '2026-10',
      tenant: 'acme',
      settings: { kmsKeyId: KMS_KEY },
      partBytes: PART,
    });
    expect(failed.state).toBe('failed');
    expect(failed.failure).toEqual({
      path: 'exports/unencrypted-objects.csv',
      key: 'lied/2026-10/acme/exports/unencrypted-objects.csv',
      code: 'ChecksumMismatch',
      message: `S3 answered checksum AAAA-3, the parts sent give ${composite}`,
    });
    // S3 completed the upload before the answer was found wrong, so there is nothing left to abort.
    expect(bucket('evidence-archive').abortedUploads?.length ?? 0).toBe(aborted);
    expect(Object.keys(bucket('evidence-archive').objects ?? {})).not.toContain('lied/2026-10/acme/manifest.json');
  });

  it('a part S3 fails: the upload is aborted, the receipt names the file and the error, nothing after it is sent', async () => {
    const failing = await packetWithExport('part-fails', csv);
    const aborted = bucket('evidence-archive').abortedUploads?.length ?? 0;
    fake.scenario.faults = [
      { operation: 'UploadPart', times: 1, action: { kind: 'error', status: 500, code: 'InternalError' } },
    ];
    try {
      const failed = await publishTo(failing, 's3://evidence-archive/fails/', {}, PART);
      expect(failed.state).toBe('failed');
      expect(failed.failure).toMatchObject({
        path: 'exports/unencrypted-objects.csv',
        key: 'fails/2026-10/acme/exports/unencrypted-objects.csv',
        code: 'InternalError',
        httpStatus: 500,
      });
    } finally {
      fake.scenario.faults = [];
    }
    expect(bucket('evidence-archive').abortedUploads!.length).toBe(aborted + 1);
    const stored = Object.keys(bucket('evidence-archive').objects ?? {}).filter((k) => k.startsWith('fails/'));
    expect(stored).not.toContain('fails/2026-10/acme/exports/unencrypted-objects.csv');
    expect(stored).not.toContain('fails/2026-10/acme/manifest.json');
  });

  it('an object an earlier publish put up in one piece is compared by its whole SHA-256: the same bytes count as there', async () => {
    const earlier = await packetWithExport('earlier-whole', csv);
    const key = 'earlier/2026-10/acme/exports/unencrypted-objects.csv';
    const whole = createHash('sha256').update(csv).digest('base64');
    await client().send(
      new PutObjectCommand({
        Bucket: 'evidence-archive',
        Key: key,
        Body: csv,
        ChecksumSHA256: whole,
        IfNoneMatch: '*',
      }),
    );
    const again = await publishTo(earlier, 's3://evidence-archive/earlier/', {}, PART);
    expect(again.state).toBe('published');
    expect(again.uploaded.find((u) => u.key === key)).toEqual({
      path: 'exports/unencrypted-objects.csv',
      key,
      size: csv.length,
      checksumSha256: whole,
      alreadyThere: true,
    });
  });

  it('different bytes there stop the publish, named with both checksums', async () => {
    const other = Buffer.from(csv);
    other.writeUInt8(other.readUInt8(other.length - 1) ^ 1, other.length - 1);
    const changed = await packetWithExport('in-parts-changed', other);
    const refused = await publishInParts(changed);
    expect(refused.state).toBe('refused_existing');
    expect(refused.failure).toMatchObject({ key: KEY, code: 'PreconditionFailed', httpStatus: 412 });
    const changedComposite = compositeOf(other);
    expect(refused.failure!.message).toBe(
      `s3://evidence-archive/${KEY} already exists with different bytes (sha256 ${composite}, this packet's ${changedComposite})`,
    );
    expect((bucket('evidence-archive').objects![KEY] as Buffer).equals(csv)).toBe(true);
  });
});

describe('partBytesFor', () => {
  it('16 MiB parts, never under S3 5 MiB, and larger whole MiB when a file would need more than 10,000', () => {
    const MIB = 1024 * 1024;
    expect(partBytesFor(100 * MIB)).toBe(16 * MIB);
    expect(partBytesFor(100 * MIB, MIB)).toBe(5 * MIB);
    expect(partBytesFor(10_000 * 16 * MIB)).toBe(16 * MIB);
    expect(partBytesFor(10_000 * 16 * MIB + 1)).toBe(17 * MIB);
    // 200 GB: 20,000,000 bytes a part at least, so 20 MiB (10,000 parts of 19 MiB would not hold it).
    expect(partBytesFor(200e9)).toBe(20 * MIB);
  });
});
