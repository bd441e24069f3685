/**
 * EvidenceWriter's file-system work: a live run writes one file per AWS answer (thousands), so each
 * file costs one write and each folder one mkdir, however many files go into it.
 */
import * as fs from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EvidenceWriter, evidencePaths } from '../../src/evidence/evidence-store.js';
import type { EvidenceRecord } from '../../src/evidence/record.js';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, mkdirSync: vi.fn(real.mkdirSync), writeFileSync: vi.fn(real.writeFileSync) };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's3e-writer-'));
  vi.mocked(fs.mkdirSync).mockClear();
  vi.mocked(fs.writeFileSync).mockClear();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (bucket: string, op: string): EvidenceRecord => ({
  operation: `s3:${op}`,
  parameters: { Bucket: bucket },
  account: '111122223333',
  region: 'eu-west-1',
  collectedAt: '2026-11-01T06:00:00Z',
  source: 'live',
  outcome: 'access_denied',
  error: { code: 'AccessDenied', message: 'Access Denied' },
});

describe('EvidenceWriter', () => {
  it('writes 3 buckets x 4 answers with 12 writes and 3 folder creations', async () => {
    const writer = new EvidenceWriter(dir);
    const ops = ['GetBucketEncryption', 'GetBucketPolicy', 'GetBucketTagging', 'GetBucketLocation'];
    await Promise.all(
      ['alpha', 'beta', 'gamma'].flatMap((b) =>
        ops.map((op) => writer.writeRecord(`${evidencePaths.bucket('111122223333', b)}/${op}.json`, record(b, op))),
      ),
    );
    expect(vi.mocked(fs.writeFileSync)).toHaveBeenCalledTimes(12);
    expect(vi.mocked(fs.mkdirSync)).toHaveBeenCalledTimes(3);
    const text = await readFile(
      path.join(dir, evidencePaths.bucket('111122223333', 'beta'), 'GetBucketPolicy.json'),
      'utf8',
    );
    expect(JSON.parse(text)).toEqual(record('beta', 'GetBucketPolicy'));
    expect(writer.written.fileHashes().size).toBe(12);
  });

  it('tries a folder again after it could not be made, and reports the failure as a rejection', async () => {
    const writer = new EvidenceWriter(dir);
    const at = `${evidencePaths.bucket('111122223333', 'alpha')}/x.json`;
    vi.mocked(fs.mkdirSync).mockImplementationOnce(() => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    await expect(writer.writeJson(at, { a: 1 })).rejects.toThrow('EACCES');
    await writer.writeJson(at, { a: 2 });
    expect(vi.mocked(fs.mkdirSync)).toHaveBeenCalledTimes(2);
    expect(JSON.parse(await readFile(writer.abs(at), 'utf8'))).toEqual({ a: 2 });
  });
});
