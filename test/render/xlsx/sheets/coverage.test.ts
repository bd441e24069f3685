/**
 * The Coverage sheet says which object versions its counts include, lists delete markers apart (they are
 * not objects: no data, no encryption status), and names why a bucket was not measured: a report that
 * exists but could not be read is "report unreadable", never "no inventory"; not configured and not
 * delivered are different words. Read back with the independent workbook reader.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BucketResult, Packet } from '../../../../src/model/packet.js';
import { renderXlsx } from '../../../../src/render/xlsx/index.js';
import { loadWording } from '../../../../src/wording/wording.js';
import { readWorkbook, sheetNamed, type SheetDump } from '../../../support/xlsx-reader.js';
import { samplePacket } from '../../../support/sample-packet.js';

function packet(): Packet {
  const p = samplePacket();
  const measured = p.buckets[0]!;
  if (measured.coverage.state !== 'measured') throw new Error('the sample measures its first bucket');
  const named = (name: string, coverage: BucketResult['coverage']): BucketResult => ({ ...measured, name, coverage });
  p.buckets = [
    named('versioned', { ...measured.coverage, objectVersions: 'all', deleteMarkers: 7 }),
    named('current', { ...measured.coverage, objectVersions: 'current', deleteMarkers: 0 }),
    named('unreadable', { state: 'unverified', reason: 'MD5 mismatch', problems: ['data/0.csv.gz: MD5 mismatch'] }),
    named('unconfigured', { state: 'no_inventory', cause: 'not_configured', reason: 'no S3 Inventory location' }),
    named('undelivered', { state: 'no_inventory', cause: 'not_delivered', reason: 'no report for undelivered' }),
    named('stale', { state: 'no_inventory', cause: 'stale', reason: 'only 2026-08-31' }),
    named('no-status', { state: 'no_inventory', cause: 'no_encryption_status', reason: 'no EncryptionStatus field' }),
  ];
  p.coverage = { ...p.coverage, measuredBuckets: 2, totalBuckets: 7, deleteMarkers: 7, objectVersions: 'mixed' };
  return p;
}

let sheet: SheetDump;
beforeAll(async () => {
  const bytes = await renderXlsx(packet(), {
    wording: loadWording(),
    unencryptedCsv: 'exports/unencrypted-objects.csv',
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'coverage-xlsx-')), 'p.xlsx');
  writeFileSync(file, bytes);
  sheet = sheetNamed(readWorkbook(file), 'Coverage');
});

const column = (name: string) => {
  const i = sheet.rows[0]!.findIndex((c) => c.value === name);
  if (i < 0) throw new Error(`no column ${name}`);
  return sheet.rows.slice(1).map((r) => r[i]!.value);
};

describe('Coverage sheet', () => {
  it('each bucket: measured, or why not in its own words', () => {
    expect(column('Bucket')).toEqual([
      'versioned',
      'current',
      'unreadable',
      'unconfigured',
      'undelivered',
      'stale',
      'no-status',
      'Tenant total (ACME Corp)',
    ]);
    expect(column('Coverage')).toEqual([
      'measured',
      'measured',
      'report unreadable',
      'no inventory configured',
      'no report delivered',
      'only stale reports',
      'report lacks EncryptionStatus',
      '2 of 7 buckets measured',
    ]);
  });

  it('which versions each count includes, and for the tenant', () => {
    expect(column('Versions counted')).toEqual([
      'all versions (noncurrent included)',
      'current versions only',
      null,
      null,
      null,
      null,
      null,
      'current only for some buckets, all versions for others',
    ]);
  });

  it('delete markers apart from the object counts, totalled for the tenant', () => {
    expect(column('Delete markers (not counted)')).toEqual([7, 0, null, null, null, null, null, 7]);
    // The sample bucket's 10 objects, delete markers not among them.
    expect(column('Total objects')).toEqual([10, 10, null, null, null, null, null, 10]);
  });

  it('the total row counts the buckets not measured by why', () => {
    expect(column('Note').at(-1)).toBe(
      '1 report unreadable; 1 no inventory configured; 1 no report delivered; 1 only stale reports; 1 report lacks EncryptionStatus',
    );
  });
});
