/**
 * EvidenceWriter's file-system work: a live run writes one file per AWS answer (thousands), so each
 * file costs one write and each folder one mkdir, however many files go into it. The writes go to a
 * FileSink (the file-writing thread in a run); here a sink that writes in place and counts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EvidenceWriter, evidencePaths } from '../../src/evidence/evidence-store.js';
import type { EvidenceRecord } from '../../src/evidence/record.js';
import type { FileSink } from '../../src/util/background-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's3e-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes in place, counting writes and folders made; `failMkdir` folders fail once with EACCES. */
function countingSink(failMkdir = new Set<string>()) {
  const counts = { writes: 0, mkdirs: 0 };
  const sink: FileSink = {
    write(file, text, makeDir) {
      return new Promise<void>((resolve) => {
        if (makeDir !== undefined) {
          counts.mkdirs++;
          if (failMkdir.delete(makeDir))
            throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
          mkdirSync(makeDir, { recursive: true });
        }
        counts.writes++;
        writeFileSync(file, text);
        resolve();
      });
    },
  };
  return { sink, counts };
}

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
    const { sink, counts } = countingSink();
    const writer = new EvidenceWriter(dir, undefined, sink);
    const ops = ['GetBucketEncryption', 'GetBucketPolicy', 'GetBucketTagging', 'GetBucketLocation'];
    await Promise.all(
      ['alpha', 'beta', 'gamma'].flatMap((b) =>
        ops.map((op) => writer.writeRecord(`${evidencePaths.bucket('111122223333', b)}/${op}.json`, record(b, op))),
      ),
    );
    expect(counts).toEqual({ writes: 12, mkdirs: 3 });
    const text = await readFile(
      path.join(dir, evidencePaths.bucket('111122223333', 'beta'), 'GetBucketPolicy.json'),
      'utf8',
    );
    expect(JSON.parse(text)).toEqual(record('beta', 'GetBucketPolicy'));
    expect(writer.written.fileHashes().size).toBe(12);
  });

  it('tries a folder again after it could not be made, and reports the failure as a rejection', async () => {
    const at = `${evidencePaths.bucket('111122223333', 'alpha')}/x.json`;
    const { sink, counts } = countingSink(new Set([path.join(dir, evidencePaths.bucket('111122223333', 'alpha'))]));
    const writer = new EvidenceWriter(dir, undefined, sink);
    await expect(writer.writeJson(at, { a: 1 })).rejects.toThrow('EACCES');
    expect(writer.written.fileHashes().size).toBe(0);
    await writer.writeJson(at, { a: 2 });
    expect(counts.mkdirs).toBe(2);
    expect(JSON.parse(await readFile(writer.abs(at), 'utf8'))).toEqual({ a: 2 });
  });

  it('writes through the file-writing thread by default: the file is on disk once the write resolves', async () => {
    const writer = new EvidenceWriter(dir);
    const at = `${evidencePaths.bucket('111122223333', 'alpha')}/get-bucket-policy.json`;
    const filed = await writer.writeRecord(at, record('alpha', 'GetBucketPolicy'));
    expect(filed.file).toBe(at);
    expect(filed.outcome).toBe('access_denied');
    expect(JSON.parse(await readFile(writer.abs(at), 'utf8'))).toEqual(record('alpha', 'GetBucketPolicy'));
  });
});
