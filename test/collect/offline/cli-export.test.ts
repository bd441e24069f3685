import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliError, readCliOutput } from '../../../src/collect/offline/cli-export.js';
import { offlineAccountSource, readExportInfo } from '../../../src/collect/offline/offline-source.js';
import { makeFifo } from '../../support/special-files.js';

const call = {
  operation: 's3:GetBucketPolicy',
  parameters: { Bucket: 'b' },
  account: '111122223333',
  region: 'eu-west-1',
  collectedAt: '2026-11-01T06:00:00Z',
};

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
    expect(
      parseCliError(
        '\nAn error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist\n',
      ),
    ).toEqual({
      code: 'NoSuchBucketPolicy',
      message: 'The bucket policy does not exist',
      operation: 'GetBucketPolicy',
    });
  });
  it('parses the retry wording', () => {
    expect(
      parseCliError(
        'An error occurred (SlowDown) (reached max retries: 4) when calling the GetBucketPolicy operation: Please reduce your request rate.',
      ).code,
    ).toBe('SlowDown');
  });
  it('JSON output is an ok record holding the response as printed', async () => {
    const dir = folder({ 'get-bucket-policy.json': '{"Policy": "{\\"Version\\":\\"2012-10-17\\"}"}' });
    const rec = await readCliOutput(dir, 'get-bucket-policy', call);
    expect(rec).toMatchObject({ outcome: 'ok', response: { Policy: '{"Version":"2012-10-17"}' }, source: 'offline' });
  });
  it('NoSuchBucketPolicy is "not configured", a state and not an error', async () => {
    const dir = folder({
      'get-bucket-policy.error.txt':
        'An error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist',
    });
    expect(await readCliOutput(dir, 'get-bucket-policy', call)).toMatchObject({
      outcome: 'not_configured',
      error: { code: 'NoSuchBucketPolicy' },
    });
  });
  it('AccessDenied is access_denied', async () => {
    const dir = folder({
      'get-bucket-policy.error.txt':
        'An error occurred (AccessDenied) when calling the GetBucketPolicy operation: Access Denied',
    });
    expect(await readCliOutput(dir, 'get-bucket-policy', call)).toMatchObject({
      outcome: 'access_denied',
      error: { code: 'AccessDenied', message: 'Access Denied' },
    });
  });
  it('a file that is not JSON is an error naming the file', async () => {
    const dir = folder({ 'get-bucket-policy.json': '{"Policy": ' });
    const rec = await readCliOutput(dir, 'get-bucket-policy', call);
    expect(rec.outcome).toBe('error');
    expect(rec.outcome !== 'ok' && rec.error.code).toBe('UnparsableExport');
    expect(rec.outcome !== 'ok' && rec.error.message).toContain(path.join(dir, 'get-bucket-policy.json'));
  });
  it('a file that names a key twice in one object is an error naming the key: it has no single reading', async () => {
    // AES256 first, SSE-KMS second: JSON.parse alone would read SSE-KMS without a word.
    const text =
      '{"ServerSideEncryptionConfiguration":{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]},' +
      '"ServerSideEncryptionConfiguration":{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"}}]}}';
    const dir = folder({ 'get-bucket-encryption.json': text });
    const rec = await readCliOutput(dir, 'get-bucket-encryption', { ...call, operation: 's3:GetBucketEncryption' });
    expect(rec).toMatchObject({
      outcome: 'error',
      error: {
        code: 'UnparsableExport',
        message: `${path.join(dir, 'get-bucket-encryption.json')}: names "ServerSideEncryptionConfiguration" twice at the top (JSON readers differ on which of the two counts)`,
      },
    });
    // The same key in two different objects is not a repeat.
    const fine = folder({ 'get-bucket-policy.json': '{"Policy":"{}","Other":{"Policy":"x"}}' });
    expect((await readCliOutput(fine, 'get-bucket-policy', call)).outcome).toBe('ok');
  });
  it('neither file is "not exported", an error', async () => {
    expect(await readCliOutput(folder({}), 'get-bucket-policy', call)).toMatchObject({
      outcome: 'error',
      error: { code: 'NotExported' },
    });
  });
  it('a file that is there but blank is an empty export, named, never "not exported"', async () => {
    const json = folder({ 'get-bucket-policy.json': '  \n' });
    expect(await readCliOutput(json, 'get-bucket-policy', call)).toMatchObject({
      outcome: 'error',
      sourcePath: path.join(json, 'get-bucket-policy.json'),
      error: {
        code: 'EmptyExport',
        message: `${path.join(json, 'get-bucket-policy.json')}: empty (the AWS CLI writes its answer, or its error in get-bucket-policy.error.txt; an empty file is neither)`,
      },
    });
    const errorOnly = folder({ 'get-bucket-policy.error.txt': '' });
    expect(await readCliOutput(errorOnly, 'get-bucket-policy', call)).toMatchObject({
      outcome: 'error',
      sourcePath: path.join(errorOnly, 'get-bucket-policy.error.txt'),
      error: { code: 'EmptyExport' },
    });
    // A blank answer beside the CLI's error text: the error is the record, as before.
    const both = folder({
      'get-bucket-policy.json': '',
      'get-bucket-policy.error.txt':
        'An error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist',
    });
    expect(await readCliOutput(both, 'get-bucket-policy', call)).toMatchObject({
      outcome: 'not_configured',
      error: { code: 'NoSuchBucketPolicy' },
    });
  });
  it("reads a key of another account from that account's export", async () => {
    const mine = folder({});
    const theirs = folder({
      'kms/eu-west-1/0b1c2d3e-0000-4000-8000-0000000000f2/describe-key.json':
        '{"KeyMetadata": {"KeyId": "0b1c2d3e-0000-4000-8000-0000000000f2", "KeyManager": "CUSTOMER"}}',
    });
    const src = offlineAccountSource({
      account: '111122223333',
      folder: mine,
      collectedAt: call.collectedAt,
      otherExports: new Map([['444455556666', theirs]]),
    });
    const rec = await src.keyCall(
      'DescribeKey',
      'arn:aws:kms:eu-west-1:444455556666:key/0b1c2d3e-0000-4000-8000-0000000000f2',
      'eu-west-1',
    );
    expect(rec).toMatchObject({
      outcome: 'ok',
      account: '444455556666',
      response: { KeyMetadata: { KeyId: '0b1c2d3e-0000-4000-8000-0000000000f2' } },
    });
  });
});

describe('export.json', () => {
  it('says when and by whom the export was made; broken or read two ways, it says nothing', async () => {
    const info = '{"exportedAt":"2026-11-01T06:00:00Z","exportedBy":"ops"}';
    expect(await readExportInfo(folder({ 'export.json': info }))).toEqual({
      exportedAt: '2026-11-01T06:00:00Z',
      exportedBy: 'ops',
    });
    const twice = '{"exportedAt":"2026-11-01T06:00:00Z","exportedAt":"2026-10-15T06:00:00Z"}';
    expect(await readExportInfo(folder({ 'export.json': twice }))).toEqual({});
    expect(await readExportInfo(folder({ 'export.json': '{"exportedAt":' }))).toEqual({});
    expect(await readExportInfo(folder({ 'export.json': '{"exportedAt":5,"exportedBy":"ops"}' }))).toEqual({
      exportedBy: 'ops',
    });
    for (const notObject of ['null', '[]', '"2026-11-01"'])
      expect(await readExportInfo(folder({ 'export.json': notObject }))).toEqual({});
    expect(await readExportInfo(folder({}))).toEqual({});
  });
});

describe('offline export reads stay inside the export', () => {
  const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
  const collectedAt = call.collectedAt;

  it("a key id with ../ from a bucket's encryption is never a path: unreadable, with the reason", async () => {
    const parent = folder({
      'outside/describe-key.json': '{"KeyMetadata": {"KeyId": "stolen", "KeyManager": "CUSTOMER"}}',
    });
    const dir = path.join(parent, 'export');
    mkdirSync(dir);
    const src = offlineAccountSource({ account: '111122223333', folder: dir, collectedAt });
    // From <export>/kms/eu-west-1/, key/../../../../outside is <parent>/outside.
    const rec = await src.keyCall('DescribeKey', 'key/../../../../outside', 'eu-west-1');
    expect(rec).toMatchObject({
      outcome: 'error',
      error: {
        code: 'InvalidIdentifier',
        message:
          'not read from the export: "key/../../../../outside" is not a KMS key id (UUID or mrk-…), key ARN, alias name (alias/…) or alias ARN',
      },
    });
    expect(JSON.stringify(rec)).not.toContain('stolen');
  });

  it("a bucket name or region that is not AWS's format is unreadable, not a path", async () => {
    const src = offlineAccountSource({ account: '111122223333', folder: folder({}), collectedAt });
    expect(await src.bucketCall('GetBucketPolicy', '../../etc', 'eu-west-1')).toMatchObject({
      outcome: 'error',
      error: { code: 'InvalidIdentifier' },
    });
    expect(await src.listAliases('../..')).toMatchObject({
      outcome: 'error',
      error: {
        code: 'InvalidIdentifier',
        message: 'not read from the export: "../.." is not an AWS Region code such as eu-west-1',
      },
    });
    expect(await src.keyCall('DescribeKey', KEY, '../x')).toMatchObject({
      outcome: 'error',
      error: { code: 'InvalidIdentifier' },
    });
  });

  it('a symlink to /etc/passwd is refused without reading it', async () => {
    const dir = folder({});
    mkdirSync(path.join(dir, 's3api', 'b-1'), { recursive: true });
    symlinkSync('/etc/passwd', path.join(dir, 's3api', 'b-1', 'get-bucket-policy.json'));
    const rec = await offlineAccountSource({ account: '111122223333', folder: dir, collectedAt }).bucketCall(
      'GetBucketPolicy',
      'b-1',
      'eu-west-1',
    );
    expect(rec).toMatchObject({
      outcome: 'error',
      error: {
        code: 'OutsideRoot',
        message: `${path.join(dir, 's3api', 'b-1', 'get-bucket-policy.json')}: is a symbolic link that leads outside ${dir}`,
      },
    });
    expect(JSON.stringify(rec)).not.toContain('root:');
  });

  it('a linked bucket folder leading out of the export is refused', async () => {
    const outside = folder({ 'get-bucket-policy.json': '{"Policy": "{}"}' });
    const dir = folder({});
    mkdirSync(path.join(dir, 's3api'));
    symlinkSync(outside, path.join(dir, 's3api', 'b-1'));
    const rec = await offlineAccountSource({ account: '111122223333', folder: dir, collectedAt }).bucketCall(
      'GetBucketPolicy',
      'b-1',
      'eu-west-1',
    );
    expect(rec).toMatchObject({ outcome: 'error', error: { code: 'OutsideRoot' } });
  });

  it('a FIFO is refused at once, not waited on', async () => {
    const dir = folder({});
    makeFifo(path.join(dir, 'get-bucket-policy.json'));
    const rec = await readCliOutput(dir, 'get-bucket-policy', call);
    expect(rec).toMatchObject({
      outcome: 'error',
      error: {
        code: 'NotARegularFile',
        message: `${path.join(dir, 'get-bucket-policy.json')}: is a named pipe (FIFO), not a regular file`,
      },
    });
  });

  it('a file over the size limit is refused, an error.txt beside it does not stand in', async () => {
    const dir = folder({
      'get-bucket-policy.json': `{"Policy": "${'x'.repeat(100)}"}`,
      'get-bucket-policy.error.txt':
        'An error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: none',
    });
    const rec = await readCliOutput(dir, 'get-bucket-policy', call, dir, { maxBytes: 64 });
    expect(rec).toMatchObject({
      outcome: 'error',
      error: {
        code: 'TooLarge',
        message: `${path.join(dir, 'get-bucket-policy.json')}: is 114 bytes, over the 64-byte limit`,
      },
    });
  });
});
