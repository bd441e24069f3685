import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWording } from '../../../src/wording/wording.js';
import { renderXlsx } from '../../../src/render/xlsx/index.js';
import { cellAt, readWorkbook, sheetNamed, type SheetDump, type WorkbookDump } from '../../support/xlsx-reader.js';
import { CONTRACTOR, HOSTILE_DETAIL, SAMPLE_KEY_ARN } from '../../support/sample-log-sections.js';
import { samplePacket } from '../../support/sample-packet.js';

const wording = loadWording();
const GREEN = 'FFC6EFCE';
const RED = 'FFFFC7CE';
const AMBER = 'FFFFEB9C';

const values = (sheet: SheetDump, row: number) => sheet.rows[row - 1]!.map((c) => c.value);

describe('renderXlsx: collected denied uploads and key usage', () => {
  let py: WorkbookDump;
  beforeAll(async () => {
    const bytes = await renderXlsx(samplePacket({ logs: true }), {
      wording,
      unencryptedCsv: 'exports/unencrypted-objects.csv',
    });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'xlsx-logs-')), 'logs.xlsx');
    writeFileSync(file, bytes);
    py = readWorkbook(file, 70);
  });

  it('Denied uploads: note, frozen header, filter over every row', () => {
    const s = sheetNamed(py, 'Denied uploads');
    expect(cellAt(s, 'A1')).toMatchObject({
      value:
        '17 denied uploads from 2026-10-01T04:00:00Z to 2026-11-01T04:00:00Z (UTC, end exclusive), one count per request across access logs and CloudTrail; days in America/New_York. Every row: exports/denied-uploads.csv',
      bold: true,
    });
    expect(values(s, 2)).toEqual([
      'Section',
      'Item',
      'Denied uploads',
      'SSE header missing',
      'SSE value not allowed',
      'Plain HTTP',
      'Other',
      'Undetermined',
      'Days with records',
      'Days in period',
      'State',
      'Detail',
    ]);
    // 1 total + 5 sources + 5 reasons + 2 buckets + 31 days + 2 principals + 3 IP rows + 4 coverage + 3 skipped + 1 problem = 57 rows.
    expect([s.freezePanes, s.autoFilter, s.maxRow]).toEqual(['A3', 'A2:L59', 59]);
  });

  it('Denied uploads: total with its reasons, per source, per reason, per bucket, as numbers', () => {
    const s = sheetNamed(py, 'Denied uploads');
    expect(values(s, 3)).toEqual([
      'Total',
      'distinct requests (one count per request)',
      17,
      10,
      0,
      4,
      0,
      3,
      null,
      null,
      null,
      null,
    ]);
    expect(cellAt(s, 'C3')).toMatchObject({ type: 'n', numberFormat: '#,##0', bold: true });
    expect(s.rows.slice(3, 8).map((r) => [r[1]!.value, r[2]!.value])).toEqual([
      ['seen in access logs', 15],
      ['seen in CloudTrail', 14],
      ['seen in both (same request ID)', 12],
      ['access logs only', 3],
      ['CloudTrail only', 2],
    ]);
    expect(cellAt(s, 'L4').value).toBe(
      'access logs: 744 files read, 52,000 records in the period, 3 files outside it; s3://acme-logs/access/',
    );
    expect(s.rows.slice(8, 13).map((r) => [r[0]!.value, r[1]!.value, r[2]!.value])).toEqual([
      ['Reason', 'SSE header missing', 10],
      ['Reason', 'SSE value not allowed', 0],
      ['Reason', 'plain HTTP', 4],
      ['Reason', 'other', 0],
      ['Reason', 'undetermined (access log only)', 3],
    ]);
    expect(values(s, 14)).toEqual(['Bucket', 'acme-prod-data', 13, 8, 0, 4, 0, 1, null, null, null, null]);
    expect(values(s, 15).slice(0, 8)).toEqual(['Bucket', 'acme-denied', 4, 2, 0, 0, 0, 2]);
  });

  it('Denied uploads: every day of the period, top principals and IPs with the rest counted', () => {
    const s = sheetNamed(py, 'Denied uploads');
    const days = s.rows.slice(15, 46);
    expect(days.map((r) => r[0]!.value)).toEqual(Array(31).fill('Day'));
    expect([days[0]![1]!.value, days[30]![1]!.value]).toEqual(['2026-10-01', '2026-10-31']);
    expect(days.reduce((n, r) => n + Number(r[2]!.value), 0)).toBe(17);
    expect(values(s, 35).slice(0, 3)).toEqual(['Day', '2026-10-20', 9]);
    expect(values(s, 47).slice(0, 3)).toEqual(['Principal', 'arn:aws:iam::111122223333:role/app-writer', 12]);
    expect(values(s, 48).slice(0, 3)).toEqual(['Principal', CONTRACTOR, 5]);
    expect(values(s, 51)).toEqual([
      'Source IP',
      '(others)',
      1,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      '3 distinct in all',
    ]);
  });

  it('Denied uploads: coverage with status words and days, then skipped records and problems', () => {
    const s = sheetNamed(py, 'Denied uploads');
    expect(values(s, 54)).toEqual([
      'Coverage',
      'access logs: acme-denied',
      null,
      null,
      null,
      null,
      null,
      null,
      20,
      31,
      'some days',
      'access-log records for bucket acme-denied on 20 of 31 days of the period (days without: 2026-10-21, 2026-10-22, 2026-10-23, 2026-10-24, 2026-10-25, 2026-10-26, 2026-10-27, 2026-10-28, 2026-10-29, 2026-10-30)',
    ]);
    expect(cellAt(s, 'K54').fill).toBe(AMBER);
    expect([cellAt(s, 'K55').value, cellAt(s, 'K55').fill, cellAt(s, 'I55').value]).toEqual(['no records', RED, 0]);
    expect([cellAt(s, 'K52').value, cellAt(s, 'K52').fill]).toEqual(['every day', GREEN]);
    expect(values(s, 56).slice(0, 2)).toEqual(['Skipped', '2 records skipped (the first are listed below)']);
    expect([cellAt(s, 'B57').value, cellAt(s, 'L57').value]).toEqual([
      's3://acme-logs/access/2026-10-05-10-15-22-1A2B3C4D5E6F7A8B line 7',
      'unterminated quoted field',
    ]);
    expect([cellAt(s, 'A59').value, cellAt(s, 'K59').value, cellAt(s, 'K59').fill, cellAt(s, 'L59').value]).toEqual([
      'Problem',
      'UNREADABLE',
      RED,
      'not gzip',
    ]);
  });

  it('Key usage: a bold key total, then principals; the unexpected one in words and red', () => {
    const s = sheetNamed(py, 'Key usage');
    expect(cellAt(s, 'A1').value).toBe(
      '1,234 KMS calls to 1 key from 2026-10-01T04:00:00Z to 2026-11-01T04:00:00Z (UTC, end exclusive); per key its total, then its top principals. Every row: exports/key-usage.csv',
    );
    expect(values(s, 2)).toEqual([
      'Key ARN',
      'Alias',
      'Principal',
      'Principal type',
      'Expected',
      'Calls',
      'Failures',
      'Operations',
      'Buckets (encryption context)',
      'Failures by error code',
      'Via AWS service',
      'First seen (America/New_York)',
      'Last seen (America/New_York)',
    ]);
    expect([s.freezePanes, s.autoFilter]).toEqual(['A3', 'A2:M6']);
    expect(values(s, 3)).toEqual([
      SAMPLE_KEY_ARN,
      'alias/app-data',
      '(all principals)',
      null,
      '1 unexpected',
      1234,
      2,
      'Decrypt 800\nGenerateDataKey 434',
      'acme-prod-data 1,204',
      'AccessDeniedException 2',
      null,
      null,
      null,
    ]);
    expect([cellAt(s, 'C3').bold, cellAt(s, 'E3').fill, cellAt(s, 'F3').numberFormat]).toEqual([true, RED, '#,##0']);
    expect(values(s, 4).slice(2, 7)).toEqual(['arn:aws:iam::111122223333:role/app-writer', 'IAM role', 'Yes', 1200, 0]);
    expect([cellAt(s, 'E4').fill, cellAt(s, 'K4').value]).toEqual([GREEN, 's3.amazonaws.com']);
    expect(values(s, 5).slice(2)).toEqual([
      CONTRACTOR,
      'IAM user',
      'No — unexpected',
      30,
      2,
      'Decrypt',
      null,
      null,
      null,
      '2026-10-19T22:11:45.000Z',
      '2026-10-20T23:11:15.000Z',
    ]);
    expect([cellAt(s, 'C5').fill, cellAt(s, 'E5').fill]).toEqual([RED, RED]);
    expect(values(s, 6).slice(2, 6)).toEqual(['s3.amazonaws.com', 'AWS service', 'Yes', 4]);
  });

  it('Key events: in time order, with who, where from and the error; a hostile detail stays text', () => {
    const s = sheetNamed(py, 'Key events');
    expect(cellAt(s, 'A1').value).toBe(
      '2 key-management events from 2026-10-01T04:00:00Z to 2026-11-01T04:00:00Z (UTC, end exclusive). Every row: exports/key-management-events.csv',
    );
    expect(values(s, 2)).toEqual([
      'Key ARN',
      'Alias',
      'Time (America/New_York)',
      'Event',
      'Principal',
      'Principal type',
      'Source IP',
      'Error',
      'Detail',
      'Request ID',
      'Event ID',
    ]);
    expect([s.freezePanes, s.autoFilter]).toEqual(['A3', 'A2:K4']);
    expect(values(s, 3)).toEqual([
      SAMPLE_KEY_ARN,
      'alias/app-data',
      '2026-10-12T12:14:40.000Z',
      'DisableKeyRotation',
      'arn:aws:iam::111122223333:role/platform-admin',
      'IAM role',
      '203.0.113.40',
      null,
      null,
      'c0ff3296-18ab-4564-8fbf-763edfa5de92',
      '952408e9-db74-48ff-9a3b-a00f68695b95',
    ]);
    expect(values(s, 4).slice(3, 9)).toEqual([
      'UpdateKeyDescription',
      CONTRACTOR,
      'IAM user',
      '198.51.100.7',
      'AccessDeniedException',
      `'${HOSTILE_DETAIL}`,
    ]);
    expect(cellAt(s, 'H4').fill).toBe(AMBER);
    expect(cellAt(s, 'I4').type).toBe('s');
  });

  it('Sections: collected, with a one-line summary of each', () => {
    const s = sheetNamed(py, 'Sections');
    expect(values(s, 2)).toEqual([
      'Denied uploads',
      'collected',
      '17 denied uploads (10 SSE header missing, 4 plain HTTP, 3 undetermined (access log only)) in 2 buckets; access logs 15, CloudTrail 14 — sheet Denied uploads',
    ]);
    expect(cellAt(s, 'B2').fill).toBe(GREEN);
    expect(values(s, 3)).toEqual([
      'Key usage',
      'collected',
      '1,234 KMS calls to 1 key, 2 failed; 1 unexpected principal; 2 key-management events — sheets Key usage and Key events',
    ]);
    expect(values(s, 4)).toEqual(['Drift from baseline', 'not collected', 'not collected by this version']);
  });

  it('holds no formula anywhere', () => {
    for (const sheet of py.sheets)
      for (const row of sheet.rows)
        for (const cell of row) expect([sheet.title, cell.ref, cell.type]).not.toEqual([sheet.title, cell.ref, 'f']);
  });
});
