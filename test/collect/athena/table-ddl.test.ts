import { describe, expect, it } from 'vitest';
import { accessLogTableDdl, ACCESS_LOG_REGEX, inventoryTableDdl } from '../../../src/collect/athena/table-ddl.js';
import { snakeColumn } from '../../../src/collect/athena/inventory-sql.js';
import { costOfScan } from '../../../src/collect/athena/sql-engine.js';

describe('the tables AWS documents', () => {
  it('S3 Inventory CSV field names become the documented column names', () => {
    expect(
      ['Bucket', 'Key', 'VersionId', 'IsLatest', 'IsDeleteMarker', 'Size', 'LastModifiedDate', 'ETag'].map(snakeColumn),
    ).toEqual(['bucket', 'key', 'version_id', 'is_latest', 'is_delete_marker', 'size', 'last_modified_date', 'e_tag']);
    expect(
      ['EncryptionStatus', 'ObjectLockRetainUntilDate', 'BucketKeyStatus', 'IntelligentTieringAccessTier'].map(
        snakeColumn,
      ),
    ).toEqual([
      'encryption_status',
      'object_lock_retain_until_date',
      'bucket_key_status',
      'intelligent_tiering_access_tier',
    ]);
  });

  it('a Parquet inventory table declares the known columns, typed, and projects dt over hive/', () => {
    const ddl = inventoryTableDdl('db', 't1', {
      format: 'parquet',
      columns: ['bucket', 'key', 'size', 'last_modified_date', 'encryption_status', 'some_future_field'],
      configLocation: 's3://dest/inv/src/cfg/',
      dt: '2026-11-01-06-00',
      dataFiles: [],
      bucket: 'src',
      configId: 'cfg',
    });
    expect(ddl).toBe(`CREATE EXTERNAL TABLE IF NOT EXISTS \`db\`.\`t1\` (
  \`bucket\` string,
  \`key\` string,
  \`size\` bigint,
  \`last_modified_date\` timestamp,
  \`encryption_status\` string
)
PARTITIONED BY (dt string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat'
LOCATION 's3://dest/inv/src/cfg/hive/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd-HH-mm',
  'projection.dt.range' = '2026-11-01-00-00,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'HOURS'
)`);
  });

  it("the access-log table's regex is written as a Hive literal (backslashes doubled) and matches a record of today's 27 fields", () => {
    const ddl = accessLogTableDdl('db', 'logs', { location: 's3://logs/prefix' });
    expect(ddl).toContain(`'input.regex' = '${ACCESS_LOG_REGEX.replace(/\\/g, '\\\\')}'`);
    expect(ddl).toContain("LOCATION 's3://logs/prefix/'");
    expect(ddl).not.toContain('projection');
    const line =
      'owner acme-data [05/Oct/2026:09:12:01 +0000] 198.51.100.7 arn:aws:iam::1:user/u REQ1 REST.PUT.OBJECT a%20b.txt ' +
      '"PUT /a%20b.txt HTTP/1.1" 403 AccessDenied 243 - 8 - "-" "aws-cli/2 \\"q\\"" - hostid SigV4 - AuthHeader host TLSv1.3 - - eu-west-1';
    const m = new RegExp(ACCESS_LOG_REGEX).exec(line)!;
    expect([m[2], m[3], m[6], m[10], m[11], m[17], m[21], m[24], m[27]]).toEqual([
      'acme-data',
      '05/Oct/2026:09:12:01 +0000',
      'REQ1',
      '403',
      'AccessDenied',
      '"aws-cli/2 \\"q\\""',
      '-',
      'TLSv1.3',
      'eu-west-1',
    ]);
    // The oldest vintage (18 fields) still matches; the later fields are absent.
    const old = new RegExp(ACCESS_LOG_REGEX).exec(line.split(' hostid ')[0]!)!;
    expect([old[18], old[24]]).toEqual(['-', undefined]);
  });
});

describe('cost', () => {
  it('$5 per TB scanned, 10 MB minimum per query, nothing for a statement that scans nothing', () => {
    expect(costOfScan(0)).toBe(0);
    expect(costOfScan(1)).toBe(0.00005);
    expect(costOfScan(2e12)).toBe(10);
    expect(costOfScan(123_456_789_012)).toBe(0.617284);
  });
});
