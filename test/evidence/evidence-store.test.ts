/**
 * loadEvidence's work grows with the folder, never with its square: each file named by index.json is
 * read once, each evidence file hashed once, each folder listed once (10,000 buckets, counted).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BucketEvidence } from '../../src/evidence/bundle.js';
import { EvidenceWriter, evidencePaths, loadEvidence, writeEvidenceIndex } from '../../src/evidence/evidence-store.js';
import type { EvidenceRecord } from '../../src/evidence/record.js';
import { hashingReads } from '../../src/evidence/read-evidence.js';
import type { ListBucketsOutput } from '../../src/evidence/aws-shapes.js';
import { tenantEvidence } from '../support/evidence-builders.js';

const counts = vi.hoisted(() => ({
  textReads: new Map<string, number>(),
  streamReads: new Map<string, number>(),
  listings: new Map<string, number>(),
}));
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

vi.mock('../../src/util/confined-read.js', async (original) => {
  const actual = await original<typeof import('../../src/util/confined-read.js')>();
  return {
    ...actual,
    readConfinedFile: (root: string, file: string) => {
      bump(counts.textReads, file);
      return actual.readConfinedFile(root, file);
    },
  };
});
vi.mock('node:fs/promises', async (original) => {
  const actual = await original<typeof import('node:fs/promises')>();
  return {
    ...actual,
    // sha256File opens a file 'r' to hash it (confined reads open with flags of their own).
    open: ((file: string, flags?: unknown, ...rest: unknown[]) => {
      if (flags === 'r') bump(counts.streamReads, file);
      return (actual.open as (...a: unknown[]) => unknown)(file, flags, ...rest);
    }) as typeof actual.open,
    readdir: ((dir: string, ...rest: unknown[]) => {
      bump(counts.listings, dir);
      return (actual.readdir as (...a: unknown[]) => unknown)(dir, ...rest);
    }) as typeof actual.readdir,
  };
});

const ACCOUNT = '111122223333';
const BUCKETS = 10_000;
const FILES_PER_BUCKET = 6;
let dir: string;

const record = (operation: string, r: Partial<EvidenceRecord>): EvidenceRecord =>
  ({
    operation,
    account: ACCOUNT,
    region: 'eu-west-1',
    collectedAt: '2026-11-01T06:00:00Z',
    source: 'offline',
    parameters: {},
    ...r,
  }) as EvidenceRecord;

async function writeBucket(writer: EvidenceWriter, name: string): Promise<BucketEvidence> {
  const at = evidencePaths.bucket(ACCOUNT, name);
  const rec = (file: string, op: string, r: Partial<EvidenceRecord>) =>
    writer.writeRecord(`${at}/${file}`, record(op, r));
  await writer.writeJson(`${at}/inventory.json`, { bucket: name, status: 'missing', reason: 'no report' });
  return {
    name,
    account: ACCOUNT,
    region: 'eu-west-1',
    location: await rec('get-bucket-location.json', 's3:GetBucketLocation', {
      outcome: 'ok',
      response: { LocationConstraint: 'eu-west-1' },
    }),
    tagging: await rec('get-bucket-tagging.json', 's3:GetBucketTagging', {
      outcome: 'not_configured',
      error: { code: 'NoSuchTagSet', message: 'none' },
    }),
    encryption: await rec('get-bucket-encryption.json', 's3:GetBucketEncryption', {
      outcome: 'ok',
      response: {
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      },
    }),
    policy: await rec('get-bucket-policy.json', 's3:GetBucketPolicy', {
      outcome: 'not_configured',
      error: { code: 'NoSuchBucketPolicy', message: 'none' },
    }),
    publicAccessBlock: await rec('get-public-access-block.json', 's3:GetPublicAccessBlock', {
      outcome: 'ok',
      response: { PublicAccessBlockConfiguration: { BlockPublicAcls: true } },
    }),
    inventory: { bucket: name, status: 'missing', reason: 'no report', file: `${at}/inventory.json` },
  } as BucketEvidence;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's3e-load-work-'));
  const writer = new EvidenceWriter(dir);
  const names = Array.from({ length: BUCKETS }, (_, i) => `bucket-${String(i).padStart(5, '0')}`);
  const buckets: BucketEvidence[] = [];
  for (let i = 0; i < names.length; i += 100)
    buckets.push(...(await Promise.all(names.slice(i, i + 100).map((n) => writeBucket(writer, n)))));
  const listBuckets = await writer.writeRecord<ListBucketsOutput>(
    `${evidencePaths.account(ACCOUNT)}/s3/list-buckets.json`,
    record('s3:ListBuckets', {
      outcome: 'ok',
      response: { Buckets: names.map((Name) => ({ Name })), Owner: { ID: 'o' } },
    }) as EvidenceRecord<ListBucketsOutput>,
  );
  await writeEvidenceIndex(writer, {
    ...tenantEvidence(buckets),
    accounts: [{ id: ACCOUNT, listBuckets, aliases: [] }],
  });
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadEvidence at 10,000 buckets', () => {
  it('reads each file once, hashes each file once and lists each folder once', async () => {
    counts.textReads.clear();
    counts.streamReads.clear();
    counts.listings.clear();
    const evidence = await loadEvidence(dir);

    expect(evidence.buckets).toHaveLength(BUCKETS);
    expect(evidence.buckets[9_999]!.name).toBe('bucket-09999');
    // run.json, tenant.json, index.json, ListBuckets and six files per bucket: every one read, none twice.
    const files = 4 + BUCKETS * FILES_PER_BUCKET;
    expect(evidence.files).toHaveLength(files);
    expect(counts.textReads.size).toBe(files);
    expect(Math.max(...counts.textReads.values())).toBe(1);
    // Each file hashed once, as it is read for its hash (nothing in memory from a writer here).
    expect(counts.streamReads.size).toBe(files);
    expect(Math.max(...counts.streamReads.values())).toBe(1);
    // evidence/, accounts/, the account, s3/ and one folder per bucket: listed once each.
    expect(counts.listings.size).toBe(4 + BUCKETS);
    expect(Math.max(...counts.listings.values())).toBe(1);
  }, 240_000);

  it('as verify reads it: each file read once and hashed from those bytes, the same hashes as hashing the files', async () => {
    const hashedFromDisk = (await loadEvidence(dir)).files;
    counts.textReads.clear();
    counts.streamReads.clear();
    const { result, read } = await hashingReads(dir, () => loadEvidence(dir));
    expect(counts.textReads.size).toBe(4 + BUCKETS * FILES_PER_BUCKET);
    expect(Math.max(...counts.textReads.values())).toBe(1);
    expect(counts.streamReads.size).toBe(0);
    expect(result.files).toEqual(hashedFromDisk);
    // What the manifest check then takes instead of reading the files again.
    expect(read.size).toBe(hashedFromDisk.length);
  }, 240_000);
});
