import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliError, readCliOutput } from '../../../src/collect/offline/cli-export.js';
import { offlineAccountSource } from '../../../src/collect/offline/offline-source.js';

const call = { operation: 's3:GetBucketPolicy', parameters: { Bucket: 'b' }, account: '111122223333', region: 'eu-west-1', collectedAt: '2026-11-01T06:00:00Z' };

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'export-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('AWS CLI export reader', () => {
  it('parses the CLI error line (v2 wording)', () => {
    expect(parseCliError('\nAn error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist\n')).toEqual({
      code: 'NoSuchBucketPolicy',
      message: 'The bucket policy does not exist',
      operation: 'GetBucketPolicy',
    });
  });
  it('parses the retry wording', () => {
    expect(parseCliError('An error occurred (SlowDown) (reached max retries: 4) when calling the GetBucketPolicy operation: Please reduce your request rate.').code).toBe('SlowDown');
  });
  it('JSON output is an ok record holding the response as printed', async () => {
    const dir = folder({ 'get-bucket-policy.json': '{"Policy": "{\\"Version\\":\\"2012-10-17\\"}"}' });
    const rec = await readCliOutput(dir, 'get-bucket-policy', call);
    expect(rec).toMatchObject({ outcome: 'ok', response: { Policy: '{"Version":"2012-10-17"}' }, source: 'offline' });
  });
  it('NoSuchBucketPolicy is "not configured", a state and not an error', async () => {
    const dir = folder({ 'get-bucket-policy.error.txt': 'An error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist' });
    expect(await readCliOutput(dir, 'get-bucket-policy', call)).toMatchObject({ outcome: 'not_configured', error: { code: 'NoSuchBucketPolicy' } });
  });
  it('AccessDenied is access_denied', async () => {
    const dir = folder({ 'get-bucket-policy.error.txt': 'An error occurred (AccessDenied) when calling the GetBucketPolicy operation: Access Denied' });
    expect(await readCliOutput(dir, 'get-bucket-policy', call)).toMatchObject({ outcome: 'access_denied', error: { code: 'AccessDenied', message: 'Access Denied' } });
  });
  it('a file that is not JSON is an error naming the file', async () => {
    const dir = folder({ 'get-bucket-policy.json': '{"Policy": ' });
    const rec = await readCliOutput(dir, 'get-bucket-policy', call);
    expect(rec.outcome).toBe('error');
    expect(rec.outcome !== 'ok' && rec.error.code).toBe('UnparsableExport');
    expect(rec.outcome !== 'ok' && rec.error.message).toContain(path.join(dir, 'get-bucket-policy.json'));
  });
  it('neither file is "not exported", an error', async () => {
    expect(await readCliOutput(folder({}), 'get-bucket-policy', call)).toMatchObject({ outcome: 'error', error: { code: 'NotExported' } });
  });
  it('reads a key of another account from that account\'s export', async () => {
    const mine = folder({});
    const theirs = folder({ 'kms/eu-west-1/k-2/describe-key.json': '{"KeyMetadata": {"KeyId": "k-2", "KeyManager": "CUSTOMER"}}' });
    const src = offlineAccountSource({ account: '111122223333', folder: mine, collectedAt: call.collectedAt, otherExports: new Map([['444455556666', theirs]]) });
    const rec = await src.keyCall('DescribeKey', 'arn:aws:kms:eu-west-1:444455556666:key/k-2', 'eu-west-1');
    expect(rec).toMatchObject({ outcome: 'ok', account: '444455556666', response: { KeyMetadata: { KeyId: 'k-2' } } });
  });
});
