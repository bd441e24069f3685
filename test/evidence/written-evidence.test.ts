/**
 * A run analyses the evidence it wrote from memory (WrittenEvidence) instead of reading it back:
 * what it gets must be exactly what reading the folder gives, hashes included.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BucketEvidence } from '../../src/evidence/bundle.js';
import { EvidenceWriter, evidencePaths, loadEvidence, writeEvidenceIndex } from '../../src/evidence/evidence-store.js';
import type { EvidenceRecord } from '../../src/evidence/record.js';
import { hashTree } from '../../src/util/hash.js';
import { WrittenEvidence } from '../../src/evidence/written-evidence.js';
import { EvidenceReadError } from '../../src/evidence/read-evidence.js';
import { readStoredRecord } from '../../src/evidence/answers.js';
import { bucketEvidence, tenantEvidence } from '../support/evidence-builders.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's3e-written-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = {
  account: '111122223333',
  region: 'eu-west-1',
  collectedAt: '2026-11-01T06:00:00Z',
  source: 'offline' as const,
  parameters: { Bucket: 'b' },
};

/** Writes 16 files through `writer`: two buckets (six files each; one answer misshapen, one refused, one field undefined), ListBuckets, run, tenant and index. */
async function writeFolder(writer: EvidenceWriter): Promise<void> {
  const buckets: BucketEvidence[] = [];
  for (const name of ['alpha', 'beta']) {
    const at = evidencePaths.bucket('111122223333', name);
    const rec = (op: string, file: string, r: Partial<EvidenceRecord>) =>
      writer.writeRecord(`${at}/${file}`, { ...base, operation: op, ...r } as EvidenceRecord);
    const built = bucketEvidence({ name });
    await writer.writeJson(`${at}/inventory.json`, { bucket: name, status: 'missing', reason: 'no report' });
    buckets.push({
      ...built,
      // requestId undefined: the file leaves it out, so must the analysis's copy.
      location: await rec('s3:GetBucketLocation', 'location.json', {
        outcome: 'ok',
        response: { LocationConstraint: 'eu-west-1' },
        requestId: undefined,
      }),
      tagging: await rec('s3:GetBucketTagging', 'tagging.json', {
        outcome: 'access_denied',
        error: { code: 'AccessDenied', message: 'no' },
      }),
      // ServerSideEncryptionConfiguration must be an object: an unreadable answer.
      encryption: await rec('s3:GetBucketEncryption', 'encryption.json', {
        outcome: 'ok',
        response: { ServerSideEncryptionConfiguration: 'garbled' },
      }),
      policy: await rec('s3:GetBucketPolicy', 'policy.json', {
        outcome: 'not_configured',
        error: { code: 'NoSuchBucketPolicy', message: 'none' },
      }),
      publicAccessBlock: await rec('s3:GetPublicAccessBlock', 'pab.json', {
        outcome: 'ok',
        response: { PublicAccessBlockConfiguration: { BlockPublicAcls: true } },
      }),
      inventory: { bucket: name, status: 'missing', reason: 'no report', file: `${at}/inventory.json` },
    } as BucketEvidence);
  }
  const ev = tenantEvidence(buckets);
  await writeEvidenceIndex(writer, {
    ...ev,
    accounts: [
      {
        id: '111122223333',
        listBuckets: await writer.writeRecord(`${evidencePaths.account('111122223333')}/list-buckets.json`, {
          ...base,
          operation: 's3:ListBuckets',
          outcome: 'ok',
          response: { Buckets: [{ Name: 'alpha' }, { Name: 'beta' }], Owner: { ID: 'o' } },
        }),
        aliases: [],
      },
    ],
  });
}

describe('WrittenEvidence', () => {
  it('loadEvidence from what was written equals loadEvidence from the folder, to the byte of its JSON', async () => {
    const writer = new EvidenceWriter(dir);
    await writeFolder(writer);
    // A file under evidence/ written by other means (as the inventory's CSV export is): hashed from disk.
    await writeFile(path.join(dir, 'evidence', 'accounts', '111122223333', 's3', 'alpha', 'objects.csv'), 'a,b\n');
    const fromDisk = await loadEvidence(dir);
    const fromMemory = await loadEvidence(dir, writer.written);
    expect(JSON.stringify(fromMemory)).toBe(JSON.stringify(fromDisk));
    expect(fromMemory).toEqual(fromDisk);
    // The misshapen answer is unreadable evidence on both paths; the undefined field is absent on both.
    expect(fromMemory.buckets[0]!.encryption).toMatchObject({
      outcome: 'error',
      error: { code: 'UnreadableEvidence' },
    });
    expect('requestId' in fromMemory.buckets[0]!.location!).toBe(false);
    expect(fromMemory.files.map((f) => f.path)).toContain('evidence/accounts/111122223333/s3/alpha/objects.csv');
    expect(fromMemory.files).toHaveLength(17);
  });

  it('the collector holds the same record the analysis will read: the file read back', async () => {
    const writer = new EvidenceWriter(dir);
    const returned = await writer.writeRecord('evidence/x/location.json', {
      ...base,
      operation: 's3:GetBucketLocation',
      outcome: 'ok',
      response: { LocationConstraint: 'eu-west-1' },
      requestId: undefined,
    });
    expect(returned).toEqual({
      ...base,
      operation: 's3:GetBucketLocation',
      outcome: 'ok',
      response: { LocationConstraint: 'eu-west-1' },
      file: 'evidence/x/location.json',
    });
    expect('requestId' in returned).toBe(false);
  });

  it('hashes of written files are those of the files on disk', async () => {
    const writer = new EvidenceWriter(dir);
    await writeFolder(writer);
    const known = writer.written.fileHashes();
    expect(known.size).toBe(16);
    expect(await hashTree(dir, 'evidence', known)).toEqual(await hashTree(dir, 'evidence'));
  });

  it('every list of the written files shares their entries: none is copied per list', async () => {
    const writer = new EvidenceWriter(dir);
    await writeFolder(writer);
    const known = writer.written.fileHashes();
    const evidenceFiles = await hashTree(dir, 'evidence', known);
    const folderFiles = await hashTree(dir, '', known);
    expect(evidenceFiles).toHaveLength(16);
    for (const [i, f] of evidenceFiles.entries()) {
      expect(f).toBe(known.get(f.path));
      expect(folderFiles[i]).toBe(f);
    }
  });

  it('a file that is no evidence record fails the analysis as it does when read from disk', async () => {
    const writer = new EvidenceWriter(dir);
    await writeFolder(writer);
    const file = `${evidencePaths.bucket('111122223333', 'beta')}/policy.json`;
    // An error record without an error code is not an evidence record.
    await writer.writeRecord(file, {
      ...base,
      operation: 's3:GetBucketPolicy',
      outcome: 'error',
      error: { code: '', message: '' },
    });
    const diskError = await loadEvidence(dir).catch((e: unknown) => e);
    const memoryError = await loadEvidence(dir, writer.written).catch((e: unknown) => e);
    expect(diskError).toBeInstanceOf(EvidenceReadError);
    expect(memoryError).toBeInstanceOf(EvidenceReadError);
    expect((memoryError as Error).message).toBe((diskError as Error).message);
    expect((memoryError as Error).message).toContain(`${file}: not an evidence record`);
  });

  it('a record kept with its strings shared reads as the file does, a hostile __proto__ key included', async () => {
    const written = new WrittenEvidence();
    const text = (bucket: string) =>
      JSON.stringify({
        ...base,
        operation: 's3:GetBucketTagging',
        parameters: { Bucket: bucket },
        outcome: 'ok',
        response: { TagSet: [{ Key: 'team', Value: 'payments' }], ['__proto__']: { polluted: 'yes' } },
      });
    for (const bucket of ['alpha', 'beta']) {
      const kept = written.noteRecord(`evidence/${bucket}.json`, text(bucket));
      const read = readStoredRecord(JSON.parse(text(bucket)) as unknown, `evidence/${bucket}.json`);
      expect(kept).toStrictEqual(read);
      expect(JSON.stringify(kept)).toBe(JSON.stringify(read));
      const response = (kept as { record: { response: Record<string, unknown> } }).record.response;
      expect(Object.getPrototypeOf(response)).toBe(Object.prototype);
      expect(response.polluted).toBeUndefined();
    }
  });

  it('a JSON file naming written files reads as the file does, arrays, other strings and __proto__ included', () => {
    const written = new WrittenEvidence();
    written.noteRecord('evidence/a/get-bucket-tagging.json', JSON.stringify({ ...base, outcome: 'ok', response: {} }));
    written.noteJson('evidence/a/inventory.json', '{"bucket":"a"}');
    const text = JSON.stringify({
      buckets: [
        {
          name: 'a',
          files: { tagging: 'evidence/a/get-bucket-tagging.json', inventory: 'evidence/a/inventory.json' },
          extra: { Other: 'evidence/a/not-written.json' },
        },
      ],
      listed: [
        'evidence/a/inventory.json',
        'evidence/a/get-bucket-tagging.json',
        3,
        null,
        ['evidence/a/inventory.json'],
      ],
      ['__proto__']: 'evidence/a/inventory.json',
    });
    const value = written.noteJson(evidencePaths.index, text);
    expect(value).toStrictEqual(JSON.parse(text));
    expect(written.json(evidencePaths.index)?.value).toStrictEqual(JSON.parse(text));
    expect(JSON.stringify(written.json(evidencePaths.index)?.value)).toBe(text);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('lets go of contents once analysed and keeps the hashes', async () => {
    const writer = new EvidenceWriter(dir);
    await writeFolder(writer);
    expect(writer.written.json(evidencePaths.index)).toBeDefined();
    writer.written.dropContents();
    expect(writer.written.json(evidencePaths.index)).toBeUndefined();
    expect(writer.written.record(`${evidencePaths.account('111122223333')}/list-buckets.json`)).toBeUndefined();
    await writer.writeJson('evidence/later.json', { a: 1 });
    expect(writer.written.json('evidence/later.json')).toBeUndefined();
    expect(writer.written.fileHashes().size).toBe(17);
    // Without contents the folder is read from disk, with the same result.
    expect(await loadEvidence(dir, writer.written)).toEqual(await loadEvidence(dir));
  });
});
