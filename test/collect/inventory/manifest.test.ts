import { describe, expect, it } from 'vitest';
import {
  dataFileTreePath,
  parseCsvFileSchema,
  parseManifest,
  parseTypedFileSchema,
  reportFolderDate,
} from '../../../src/collect/inventory/manifest.js';

describe('manifest.json', () => {
  it('parses the CSV example from the AWS docs', () => {
    const text = JSON.stringify({
      sourceBucket: 'example-source-bucket',
      destinationBucket: 'arn:aws:s3:::example-inventory-destination-bucket',
      version: '2016-11-30',
      creationTimestamp: '1514944800000',
      fileFormat: 'CSV',
      fileSchema: 'Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size',
      files: [
        {
          key: 'Inventory/example-source-bucket/2016-11-06T21-32Z/files/939c6d46-85a9-4ba8-87bd-9db705a579ce.csv.gz',
          size: 2147483647,
          MD5checksum: 'f11166069f1990abeb9c97ace9cdfabc',
        },
      ],
    });
    const parsed = parseManifest(text);
    expect('manifest' in parsed && parsed.manifest.files[0]?.size).toBe(2147483647);
  });

  it('names what is wrong with a manifest that is not one', () => {
    expect(parseManifest('{"sourceBucket":"b"}')).toEqual({
      error: expect.stringMatching(/^not an S3 Inventory manifest: fileFormat: .*; fileSchema: .*; files: /),
    });
    expect(parseManifest('{')).toEqual({ error: expect.stringMatching(/^not valid JSON/) });
  });

  it('refuses a manifest that names a key twice: one reader would see one list of files, another the other', () => {
    const files = (key: string) => `[{"key":"${key}","size":10,"MD5checksum":"f11166069f1990abeb9c97ace9cdfabc"}]`;
    const text =
      '{"sourceBucket":"b","destinationBucket":"arn:aws:s3:::d","version":"2016-11-30","creationTimestamp":"1514944800000",' +
      `"fileFormat":"CSV","fileSchema":"Bucket, Key","files":${files('i/b/data/one.csv.gz')},"files":${files('i/b/data/two.csv.gz')}}`;
    expect(parseManifest(text)).toEqual({
      error:
        'not an S3 Inventory manifest as S3 writes it: it names "files" twice at the top (JSON readers differ on which of the two counts)',
    });
    expect('manifest' in parseManifest(text.replace(`,"files":${files('i/b/data/two.csv.gz')}`, ''))).toBe(true);
  });

  it('splits fileSchema on commas with or without spaces', () => {
    expect(parseCsvFileSchema('Bucket, Key,Size ,  EncryptionStatus')).toEqual([
      'Bucket',
      'Key',
      'Size',
      'EncryptionStatus',
    ]);
  });

  it('reads report folder names as UTC instants', () => {
    expect(reportFolderDate('2016-11-06T21-32Z')).toBe('2016-11-06T21:32:00Z');
    expect(reportFolderDate('data')).toBeUndefined();
    expect(reportFolderDate('hive')).toBeUndefined();
    expect(reportFolderDate('2016-13-06T21-32Z')).toBeUndefined();
    expect(reportFolderDate('2016-02-30T00-00Z')).toBeUndefined();
  });

  it('places data file keys in the tree from <bucket>/<config>/ on', () => {
    expect(dataFileTreePath('inv/b/c/data/x.csv.gz', 'b', 'c')).toBe('b/c/data/x.csv.gz');
    expect(dataFileTreePath('b/c/data/x.csv.gz', 'b', 'c')).toBe('b/c/data/x.csv.gz');
    expect(dataFileTreePath('b/c/data/b/c/data/x.csv.gz', 'b', 'c')).toBe('b/c/data/x.csv.gz');
    expect(dataFileTreePath('Inventory/b/c/2016-11-06T21-32Z/files/x.csv.gz', 'b', 'c')).toBe(
      'b/c/2016-11-06T21-32Z/files/x.csv.gz',
    );
  });
});

describe('parseTypedFileSchema', () => {
  it('reads the column names of the Parquet message S3 writes', () => {
    expect(
      parseTypedFileSchema(
        'message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); optional int64 size; ' +
          'optional int64 last_modified_date (TIMESTAMP_MILLIS); optional binary encryption_status (UTF8);}',
      ),
    ).toEqual(['bucket', 'key', 'size', 'last_modified_date', 'encryption_status']);
  });

  it('reads the column names of the ORC struct S3 writes', () => {
    expect(parseTypedFileSchema('struct<bucket:string,key:string,size:bigint,last_modified_date:timestamp>')).toEqual([
      'bucket',
      'key',
      'size',
      'last_modified_date',
    ]);
  });

  it('gives nothing for a schema of neither form', () => {
    expect(parseTypedFileSchema('Bucket, Key, Size')).toBeUndefined();
    expect(parseTypedFileSchema('message s3.inventory { this is not a field; }')).toBeUndefined();
  });
});
