import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../../src/model/packet.js';
import { loadWording } from '../../../src/wording/wording.js';
import { renderXlsx, type UnencryptedBatch, type UnencryptedRow } from '../../../src/render/xlsx/index.js';
import { cellAt, readWorkbook, sheetNamed, type SheetDump, type WorkbookDump } from '../../support/xlsx-reader.js';
import { samplePacket } from '../../support/sample-packet.js';

const wording = loadWording();
const CSV = 'exports/unencrypted-objects.csv';
const SHEETS = [
  'Summary',
  'Controls',
  'Findings',
  'Buckets',
  'Coverage',
  'Unencrypted objects',
  'Denied uploads',
  'Keys',
  'Key usage',
  'Key events',
  'Drift',
  'Exceptions',
  'Trend',
  'Sections',
  'Evidence',
  'AWS Config',
];
const GREEN = 'FFC6EFCE';
const RED = 'FFFFC7CE';
const AMBER = 'FFFFEB9C';
const GREY = 'FFD9D9D9';

/** The sample packet plus per-resource verdicts on the first control. */
function packetWithResources(): Packet {
  const p = samplePacket();
  p.controls[0]!.resources = [
    {
      resource: 'acme-prod-data',
      verdict: 'pass',
      reason: 'SSE-S3 (AES256) default encryption',
      evidence: ['evidence/a.json'],
    },
    {
      resource: 'acme-denied',
      verdict: 'not_evaluated',
      reason: 'GetBucketEncryption: AccessDenied',
      evidence: ['evidence/b.json', 'evidence/c.json'],
    },
  ];
  p.controls[1]!.resources = [
    { resource: 'acme-archive', verdict: 'not_applicable', reason: 'bucket is empty', evidence: [] },
  ];
  return p;
}

function tempFile(name: string, bytes: Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'xlsx-render-')), name);
  writeFileSync(file, bytes);
  return file;
}

async function loadExcelJs(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

function headerValues(sheet: SheetDump, row = 1): Array<string | number | boolean | null> {
  return sheet.rows[row - 1]!.map((c) => c.value);
}

/** A packet whose export holds `n` unencrypted objects (the sample's measured bucket lists them all). */
function exporting<P extends Packet>(p: P, n: number): P {
  const c = p.buckets[0]!.coverage;
  if (c.state !== 'measured') throw new Error('sample changed');
  c.unencryptedExport = { ...c.unencryptedExport, rows: n };
  return p;
}

/** n rows in batches of two: the cap falls inside a batch as well as between them. */
async function* rowsOf(n: number): AsyncGenerator<UnencryptedBatch> {
  for await (const rows of rowLists(n)) yield { count: rows.length, rows: () => rows };
}

async function* rowLists(n: number): AsyncGenerator<UnencryptedRow[]> {
  let batch: UnencryptedRow[] = [];
  for (let i = 0; i < n; i += 1) {
    if (batch.length === 2) {
      yield batch;
      batch = [];
    }
    batch.push({
      bucket: 'acme-prod-data',
      key: i === 0 ? '@cmd|calc' : `logs/${i}.gz`,
      version_id: i === 1 ? 'v-1' : '',
      is_latest: 'true',
      size: 1000 * (i + 1),
      last_modified_date: '2020-01-02T03:04:05.000Z',
      storage_class: 'STANDARD',
      encryption_status: 'NOT-SSE',
    });
  }
  if (batch.length > 0) yield batch;
}

describe('renderXlsx on the sample packet', () => {
  let bytes: Buffer;
  let py: WorkbookDump;
  let xl: ExcelJS.Workbook;

  beforeAll(async () => {
    bytes = await renderXlsx(packetWithResources(), { wording, unencryptedCsv: CSV });
    py = readWorkbook(tempFile('sample.xlsx', bytes));
    xl = await loadExcelJs(bytes);
  });

  it('has the fifteen sheets in order, in both readers', () => {
    expect(py.sheetNames).toEqual(SHEETS);
    expect(xl.worksheets.map((s) => s.name)).toEqual(SHEETS);
  });

  it("README's list of sheets is the workbook's: these, a sheet per framework after Controls, Table and Directory buckets after Keys", () => {
    const readme = readFileSync(path.resolve('README.md'), 'utf8');
    const listed = /an \*\*XLSX workbook\*\* for auditors \(([^)]*)\)/.exec(readme)?.[1]?.split(', ');
    const expected = [...SHEETS];
    expected.splice(expected.indexOf('Controls') + 1, 0, 'one sheet per framework');
    // The sample tenant has no table or directory bucket: those sheets come only with them.
    expected.splice(expected.indexOf('Keys') + 1, 0, 'Table buckets', 'Directory buckets');
    expect(listed).toEqual(expected);
  });

  it('stamps document properties from packet.generatedAt and the tool', () => {
    expect(py.creator).toBe('s3-evidence 0.1.0');
    expect(py.lastModifiedBy).toBe('s3-evidence 0.1.0');
    expect(py.created).toBe('2026-11-01T11:00:00');
    expect(py.modified).toBe('2026-11-01T11:00:00');
    expect(xl.created.toISOString()).toBe('2026-11-01T11:00:00.000Z');
    for (const t of py.zipTimes) expect(t).toEqual([2026, 11, 1, 11, 0, 0]);
  });

  it('freezes the header row and filters every table sheet', () => {
    const expected: Record<string, [string, string]> = {
      Controls: ['A2', 'A1:I6'],
      Findings: ['A2', 'A1:F16'],
      Buckets: ['A2', 'A1:AK3'],
      Coverage: ['A2', 'A1:S3'],
      'Unencrypted objects': ['A3', 'A2:H3'],
      Keys: ['A2', 'A1:O2'],
      // Not collected: the sheets are still there (stable names), header frozen, nothing under it.
      'Denied uploads': ['A3', 'A2:L2'],
      'Key usage': ['A3', 'A2:M2'],
      'Key events': ['A3', 'A2:K2'],
      Drift: ['A3', 'A2:I2'],
      Exceptions: ['A3', 'A2:N2'],
      Trend: ['A3', 'A2:I2'],
      Sections: ['A2', 'A1:C7'],
      Evidence: ['A2', 'A1:C2'],
    };
    for (const [title, [freeze, filter]] of Object.entries(expected)) {
      const sheet = sheetNamed(py, title);
      expect([title, sheet.freezePanes, sheet.autoFilter]).toEqual([title, freeze, filter]);
    }
    expect(sheetNamed(py, 'Summary').freezePanes).toBe('A2');
    const buckets = xl.getWorksheet('Buckets')!;
    expect(buckets.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('Summary: tenant, period bounds in UTC, status, completeness, KPIs as fractions, missing evidence', () => {
    const s = sheetNamed(py, 'Summary');
    expect(headerValues(s)).toEqual(['Field', 'Value', 'Detail']);
    expect([cellAt(s, 'A2').value, cellAt(s, 'B2').value, cellAt(s, 'C2').value]).toEqual([
      'Tenant',
      'ACME Corp',
      'acme',
    ]);
    // Real dates (the reader sees a date number under a date format), the tenant's wall-clock time beside them.
    expect([cellAt(s, 'A5').value, cellAt(s, 'B5').value, cellAt(s, 'C5').value]).toEqual([
      'Period start (UTC)',
      '2026-10-01T04:00:00.000Z',
      '2026-10-01 00:00:00 America/New_York',
    ]);
    expect(cellAt(s, 'B5')).toMatchObject({ type: 'd', numberFormat: 'yyyy-mm-dd hh:mm:ss' });
    expect([cellAt(s, 'A6').value, cellAt(s, 'B6').value]).toEqual([
      'Period end (UTC, exclusive)',
      '2026-11-01T04:00:00.000Z',
    ]);
    expect([cellAt(s, 'A7').value, cellAt(s, 'B7').value]).toEqual(['Generated at (UTC)', '2026-11-01T11:00:00.000Z']);
    expect(cellAt(s, 'B8')).toMatchObject({ value: 'ATTENTION', fill: RED, bold: true });
    expect(cellAt(s, 'B9').value).toBe('3 controls failing');
    expect(cellAt(s, 'B10')).toMatchObject({ value: 'INCOMPLETE', fill: AMBER });
    expect(cellAt(s, 'C10').value).toBe('Evidence incomplete: 1 bucket unreadable (AccessDenied)');
    expect(cellAt(s, 'B11')).toMatchObject({ value: 0.99982, type: 'n', numberFormat: '0.000%' });
    expect(cellAt(s, 'B12')).toMatchObject({ value: 0.999, type: 'n', numberFormat: '0.000%' });
    expect(cellAt(s, 'C11').value).toBe('1 of 2 buckets measured');
    expect(cellAt(s, 'B13').value).toBe('1 of 2 buckets');
    expect(cellAt(s, 'B14').value).toBe('0 of 2 buckets');
    expect(cellAt(s, 'B17')).toMatchObject({ value: 1, type: 'n' });
    expect(cellAt(s, 'A17').value).toBe('Packet schema version');
    expect(cellAt(s, 'B22').value).toBe('inventory report 2026-10-31 for 1 of 2 buckets');
    expect(cellAt(s, 'A26').value).toBe('Missing evidence');
    expect(s.rows[27]!.map((c) => c.value)).toEqual(['bucket acme-denied', 's3:GetBucketEncryption', 'AccessDenied']);
    expect(s.rows[31]!.map((c) => c.value)).toEqual([
      'other-team-bucket',
      '111122223333',
      'excluded by name pattern "other-*"',
    ]);
  });

  it('Controls: a control row, then its resource verdicts with reason and evidence', () => {
    const s = sheetNamed(py, 'Controls');
    expect(headerValues(s)).toEqual([
      'Control',
      'Title',
      'Resource',
      'Verdict',
      'Summary / reason',
      'What passes',
      'Framework references',
      'Remediation',
      'Evidence',
    ]);
    expect(s.rows[1]!.map((c) => c.value)).toEqual([
      's3-default-encryption-enabled',
      'Default encryption on every bucket',
      '(control)',
      'NOT EVALUATED',
      '1 of 2 buckets; 1 not evaluated',
      'A default encryption rule exists',
      'NIST SP 800-53 Rev. 5 SC-28 (Protection of information at rest)',
      'Enable default encryption.',
      null,
    ]);
    expect(cellAt(s, 'D2').fill).toBe(AMBER);
    expect([cellAt(s, 'C3').value, cellAt(s, 'D3').value, cellAt(s, 'D3').fill]).toEqual([
      'acme-prod-data',
      'PASS',
      GREEN,
    ]);
    expect([cellAt(s, 'E4').value, cellAt(s, 'I4').value]).toEqual([
      'GetBucketEncryption: AccessDenied',
      'evidence/b.json\nevidence/c.json',
    ]);
    expect([cellAt(s, 'D5').value, cellAt(s, 'D5').fill]).toEqual(['FAIL', RED]);
    expect([cellAt(s, 'D6').value, cellAt(s, 'D6').fill]).toEqual(['N/A', GREY]);
  });

  it('Findings: severity word, control, resource, text, evidence', () => {
    const s = sheetNamed(py, 'Findings');
    expect(headerValues(s)).toEqual(['Finding', 'Severity', 'Control', 'Resource', 'Finding text', 'Evidence']);
    expect(s.rows[1]!.map((c) => c.value)).toEqual([
      'F-001',
      'High',
      's3-objects-encrypted',
      'acme-prod-data',
      'acme-prod-data: 1 unencrypted object (100 B), oldest 2019-03-02',
      'evidence/accounts/111122223333/buckets/acme-prod-data/inventory.json',
    ]);
    expect(s.maxRow).toBe(16);
  });

  it('Buckets: encryption, enforcement, coverage numbers with formats; unmeasured stays blank', () => {
    const s = sheetNamed(py, 'Buckets');
    const header = headerValues(s);
    expect(header.length).toBe(37);
    expect(header.slice(0, 5)).toEqual(['Account', 'Region', 'Bucket', 'Default encryption', 'Mode']);
    const col = (name: string) => header.indexOf(name);
    const prod = s.rows[1]!;
    const denied = s.rows[2]!;
    expect(prod[col('Bucket')]!.value).toBe('acme-prod-data');
    expect(prod[col('Algorithm')]!.value).toBe('AES256');
    expect(prod[col('SSE enforced')]!.value).toBe('No');
    expect(prod[col('TLS enforced')]!.value).toBe('Yes');
    expect(prod[col('TLS statements')]!.value).toBe('DenyInsecureTransport');
    expect(prod[col('Public access block')]!.value).toBe('all four settings on');
    expect(prod[col('Objects')]).toMatchObject({ value: 10, numberFormat: '#,##0' });
    expect(prod[col('Bytes')]).toMatchObject({ value: 1000, numberFormat: '#,##0' });
    expect(prod[col('Unencrypted objects')]).toMatchObject({ value: 1, numberFormat: '#,##0' });
    expect(prod[col('Objects encrypted')]).toMatchObject({ value: 0.9, numberFormat: '0.000%' });
    // 2026-10-31T00:00Z is 20:00 the evening before in New York: the header names the zone.
    expect(prod[col('Inventory report date (America/New_York)')]).toMatchObject({
      value: '2026-10-30T20:00:00.000Z',
      type: 'd',
    });
    expect(denied[col('Default encryption')]!.value).toBe('unreadable: AccessDenied');
    expect(denied[col('SSE enforced')]!.value).toBe('Unknown');
    // A bucket without a report whose cause the packet does not record: never called unreadable, never "no inventory".
    expect(denied[col('Coverage')]!.value).toBe('no usable inventory report');
    expect(denied[col('Coverage note')]!.value).toBe('no inventory report delivered on or before 2026-11-01');
    expect(denied[col('Objects')]!.value).toBeNull();
    expect(denied[col('Objects encrypted')]!.value).toBeNull();
    expect(prod[col('SSE-C uploads')]!.value).toBe('accepted (no BlockedEncryptionTypes SSE-C)');
    expect(prod[col('SSE-C objects (inventory)')]).toMatchObject({ value: 0, numberFormat: '#,##0' });
    expect(denied[col('SSE-C uploads')]!.value).toBe('not read (packet made before SSE-C blocking was recorded)');
    expect(denied[col('SSE-C objects (inventory)')]!.value).toBeNull();
  });

  it('Coverage: bucket × EncryptionStatus objects and bytes, tenant total below the filter', () => {
    const s = sheetNamed(py, 'Coverage');
    expect(headerValues(s)).toEqual([
      'Account',
      'Region',
      'Bucket',
      'Coverage',
      'Note',
      'Versions counted',
      'NOT-SSE objects',
      'NOT-SSE bytes',
      'SSE-S3 objects',
      'SSE-S3 bytes',
      'SSE-C objects',
      'SSE-C bytes',
      'SSE-KMS objects',
      'SSE-KMS bytes',
      'DSSE-KMS objects',
      'DSSE-KMS bytes',
      'Total objects',
      'Total bytes',
      'Delete markers (not counted)',
    ]);
    // The sample's packet predates objectVersions: which versions were counted stays blank, never guessed.
    expect(s.rows[1]!.slice(5).map((c) => c.value)).toEqual([null, 1, 100, 9, 900, 0, 0, 0, 0, 0, 0, 10, 1000, 0]);
    expect(s.rows[2]!.slice(5).map((c) => c.value)).toEqual(Array(14).fill(null));
    expect(s.rows[3]!.map((c) => c.value)).toEqual([
      null,
      null,
      'Tenant total (ACME Corp)',
      '1 of 2 buckets measured',
      '1 no usable inventory report',
      null,
      1,
      100,
      9,
      900,
      0,
      0,
      0,
      0,
      0,
      0,
      10,
      1000,
      null,
    ]);
    expect(cellAt(s, 'C4').bold).toBe(true);
    expect(cellAt(s, 'G4').numberFormat).toBe('#,##0');
  });

  it('Unencrypted objects: note above the table; the hostile key is text, never a formula', () => {
    const s = sheetNamed(py, 'Unencrypted objects');
    expect(cellAt(s, 'A1').value).toBe(
      'Showing the 1 largest of 1 unencrypted objects (1 of 2 buckets measured) — full list: exports/unencrypted-objects.csv',
    );
    expect(headerValues(s, 2)).toEqual([
      'Bucket',
      'Key',
      'Version id',
      'Is latest',
      'Size (bytes)',
      'Last modified (America/New_York)',
      'Storage class',
      'Encryption status',
    ]);
    expect(cellAt(s, 'B3')).toMatchObject({ value: `'=HYPERLINK("http://evil")`, type: 's' });
    expect(cellAt(s, 'E3')).toMatchObject({ value: 100, numberFormat: '#,##0' });
    const key = xl.getWorksheet('Unencrypted objects')!.getCell('B3');
    expect(key.type).toBe(ExcelJS.ValueType.String);
    expect(key.value).toBe(`'=HYPERLINK("http://evil")`);
  });

  it('Keys, Sections and Evidence', () => {
    const keys = sheetNamed(py, 'Keys');
    expect(cellAt(keys, 'D2').value).toBe('alias/app-data');
    expect(cellAt(keys, 'F2').value).toBe('Customer managed');
    expect(cellAt(keys, 'H2').value).toBe('enabled');
    expect(cellAt(keys, 'I2')).toMatchObject({ value: 365, numberFormat: '#,##0' });
    const keyHeader = headerValues(keys);
    expect(keys.rows[1]![keyHeader.indexOf('Key custody')]!.value).toBe(
      'AWS KMS · multi-Region primary · SYMMETRIC_DEFAULT',
    );
    const sections = sheetNamed(py, 'Sections');
    expect(sections.rows.slice(1).map((r) => r.map((c) => c.value))).toEqual(
      ['Denied uploads', 'Key usage', 'Drift from baseline', 'AWS Config rules', 'Exceptions', 'Trend'].map((name) => [
        name,
        'not collected',
        'not collected by this version',
      ]),
    );
    for (const title of ['Denied uploads', 'Key usage', 'Key events', 'Drift', 'Exceptions', 'Trend']) {
      const sheet = sheetNamed(py, title);
      expect([title, cellAt(sheet, 'A1').value, sheet.maxRow]).toEqual([
        title,
        'Not collected: not collected by this version',
        2,
      ]);
    }
    expect(cellAt(sections, 'C1').value).toBe('Summary / reason');
    const evidence = sheetNamed(py, 'Evidence');
    expect(evidence.rows[1]!.map((c) => c.value)).toEqual(['evidence/run.json', 'cd'.repeat(32), 321]);
    expect(cellAt(evidence, 'C2').numberFormat).toBe('#,##0');
    expect(evidence.widths['B']).toBe(66);
  });

  it('holds no formula anywhere', () => {
    for (const sheet of py.sheets)
      for (const row of sheet.rows) for (const cell of row) expect([cell.ref, cell.type]).not.toEqual([cell.ref, 'f']);
    xl.eachSheet((sheet) =>
      sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula))),
    );
  });

  it('sizes columns within bounds (a KMS key ARN fits: 75 characters + 2)', () => {
    for (const sheet of py.sheets) {
      for (const [letter, width] of Object.entries(sheet.widths)) {
        expect([sheet.title, letter, width >= 8 && width <= 82]).toEqual([sheet.title, letter, true]);
      }
    }
    // Buckets!C holds "acme-prod-data" (14) under the header "Bucket": 14 + 2 padding.
    expect(sheetNamed(py, 'Buckets').widths['C']).toBe(16);
  });
});

describe('renderXlsx: unencrypted object stream and cap', () => {
  it('shows at most the cap, counts the whole stream, and neutralises a leading @', async () => {
    const bytes = await renderXlsx(exporting(samplePacket(), 5), {
      wording,
      unencryptedCsv: CSV,
      unencryptedObjects: rowsOf(5),
      unencryptedCap: 3,
    });
    const s = sheetNamed(readWorkbook(tempFile('cap.xlsx', bytes)), 'Unencrypted objects');
    expect(cellAt(s, 'A1').value).toBe(
      'Showing 3 of 5 unencrypted objects (1 of 2 buckets measured) — full list: exports/unencrypted-objects.csv',
    );
    expect(s.maxRow).toBe(5);
    expect(s.autoFilter).toBe('A2:H5');
    expect(s.rows[2]!.map((c) => c.value)).toEqual([
      'acme-prod-data',
      "'@cmd|calc",
      null,
      'true',
      1000,
      '2020-01-01T22:04:05.000Z',
      'STANDARD',
      'NOT-SSE',
    ]);
    expect(cellAt(s, 'C4').value).toBe('v-1');
    expect(cellAt(s, 'E5').value).toBe(3000);
  });

  it('refuses a stream that gives another count than packet.json (the sheet would not head the CSV)', async () => {
    await expect(
      renderXlsx(exporting(samplePacket(), 4), { wording, unencryptedCsv: CSV, unencryptedObjects: rowsOf(5) }),
    ).rejects.toThrow('the export rows give 5 objects, packet.json says 4');
  });

  it('caps at 10,000 rows by default', async () => {
    const bytes = await renderXlsx(exporting(samplePacket(), 10_001), {
      wording,
      unencryptedCsv: CSV,
      unencryptedObjects: rowsOf(10_001),
    });
    const sheet = (await loadExcelJs(bytes)).getWorksheet('Unencrypted objects')!;
    expect(sheet.getCell('A1').value).toBe(
      'Showing 10,000 of 10,001 unencrypted objects (1 of 2 buckets measured) — full list: exports/unencrypted-objects.csv',
    );
    expect(sheet.rowCount).toBe(10_002);
    expect(sheet.getCell('B10002').value).toBe('logs/9999.gz');
  });

  it('past the cap only counts: the rows of later batches are never made', async () => {
    async function* batches(): AsyncGenerator<UnencryptedBatch> {
      for await (const b of rowsOf(3)) yield b;
      yield { count: 1_000_000, rows: () => expect.unreachable('rows made past the cap') };
    }
    const bytes = await renderXlsx(exporting(samplePacket(), 1_000_003), {
      wording,
      unencryptedCsv: CSV,
      unencryptedObjects: batches(),
      unencryptedCap: 2,
    });
    const sheet = (await loadExcelJs(bytes)).getWorksheet('Unencrypted objects')!;
    expect(sheet.getCell('A1').value).toBe(
      'Showing 2 of 1,000,003 unencrypted objects (1 of 2 buckets measured) — full list: exports/unencrypted-objects.csv',
    );
    expect(sheet.rowCount).toBe(4);
  });
});

describe('renderXlsx: packet variants', () => {
  it('KMS keys, unverified and empty coverage, nothing measured, control characters in a key', async () => {
    const p = samplePacket();
    const [prod, denied] = [p.buckets[0]!, p.buckets[1]!];
    prod.defaultEncryption = {
      state: 'enabled',
      mode: 'SSE-KMS',
      algorithm: 'aws:kms',
      bucketKeyEnabled: true,
      extraRules: 1,
    };
    if (prod.coverage.state !== 'measured') throw new Error('sample changed');
    prod.coverage = {
      ...prod.coverage,
      objectsPct: null,
      bytesPct: null,
      largestUnencrypted: [{ key: 'a\u0001b', size: 5 }],
    };
    denied.defaultEncryption = {
      state: 'enabled',
      mode: 'DSSE-KMS',
      algorithm: 'aws:kms:dsse',
      kmsKeyId: 'alias/x',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k-1',
      keyManager: 'CUSTOMER',
      bucketKeyEnabled: false,
      extraRules: 0,
    };
    denied.coverage = { state: 'unverified', reason: 'MD5 mismatch', problems: ['data/a.csv.gz: MD5 mismatch'] };
    denied.publicAccessBlock = {
      state: 'configured',
      allFour: false,
      settings: {
        BlockPublicAcls: true,
        IgnorePublicAcls: false,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: false,
      },
    };
    p.kpis.objectsPct = null;
    p.status = 'compliant';
    p.completeness.complete = true;
    p.coverage.measuredBuckets = 0;

    const py = readWorkbook(tempFile('variants.xlsx', await renderXlsx(p, { wording, unencryptedCsv: CSV })));
    const summary = sheetNamed(py, 'Summary');
    expect(cellAt(summary, 'B8')).toMatchObject({ value: 'COMPLIANT', fill: GREEN });
    expect(cellAt(summary, 'B10')).toMatchObject({ value: 'COMPLETE', fill: GREEN });
    expect(cellAt(summary, 'B11')).toMatchObject({ value: 'not measured', type: 's' });

    const b = sheetNamed(py, 'Buckets');
    const header = headerValues(b);
    const at = (row: number, name: string) => b.rows[row]![header.indexOf(name)]!.value;
    expect([
      at(1, 'Mode'),
      at(1, 'KMS key'),
      at(1, 'Key manager'),
      at(1, 'Bucket Key'),
      at(1, 'Extra rules (ignored by S3)'),
    ]).toEqual(['SSE-KMS', 'aws/s3 (AWS managed key)', 'AWS managed', 'Yes', 1]);
    expect(at(1, 'Objects encrypted')).toBe('no objects');
    expect([at(2, 'Mode'), at(2, 'KMS key'), at(2, 'Key manager')]).toEqual([
      'DSSE-KMS',
      'arn:aws:kms:eu-west-1:111122223333:key/k-1',
      'Customer managed',
    ]);
    expect(at(2, 'Public access block')).toBe('partial; off: IgnorePublicAcls, RestrictPublicBuckets');
    expect(at(2, 'Coverage')).toBe('report unreadable');
    expect(at(2, 'Coverage note')).toBe('MD5 mismatch\ndata/a.csv.gz: MD5 mismatch');

    const coverage = sheetNamed(py, 'Coverage');
    expect(coverage.rows[3]!.map((c) => c.value)).toEqual([
      null,
      null,
      'Tenant total (ACME Corp)',
      '0 of 2 buckets measured',
      '1 report unreadable',
      ...Array(14).fill(null),
    ]);
    expect(cellAt(sheetNamed(py, 'Unencrypted objects'), 'B3').value).toBe('a\\u0001b');
  });
});

describe('renderXlsx determinism', () => {
  it('renders the same packet to identical bytes, even seconds apart', async () => {
    const first = await renderXlsx(exporting(packetWithResources(), 20), {
      wording,
      unencryptedCsv: CSV,
      unencryptedObjects: rowsOf(20),
    });
    await sleep(2_100); // DOS times have two-second resolution
    const second = await renderXlsx(exporting(packetWithResources(), 20), {
      wording,
      unencryptedCsv: CSV,
      unencryptedObjects: rowsOf(20),
    });
    expect(second.equals(first)).toBe(true);
  });

  it('a different generatedAt changes the bytes', async () => {
    const p = samplePacket();
    const a = await renderXlsx(p, { wording, unencryptedCsv: CSV });
    const b = await renderXlsx({ ...p, generatedAt: '2026-11-02T11:00:00Z' }, { wording, unencryptedCsv: CSV });
    expect(b.equals(a)).toBe(false);
  });

  it('rejects a bad cap and a bad generatedAt', async () => {
    await expect(renderXlsx(samplePacket(), { wording, unencryptedCsv: CSV, unencryptedCap: -1 })).rejects.toThrow(
      /unencryptedCap/,
    );
    await expect(
      renderXlsx({ ...samplePacket(), generatedAt: 'soon' }, { wording, unencryptedCsv: CSV }),
    ).rejects.toThrow(/generatedAt/);
  });
});

describe('renderXlsx: traceable to the rows and files behind it', () => {
  let py: WorkbookDump;
  beforeAll(async () => {
    py = readWorkbook(
      tempFile('trace.xlsx', await renderXlsx(packetWithResources(), { wording, unencryptedCsv: CSV })),
      80,
    );
  });

  it('every number of the page is a named number cell on Summary, linked to the sheet row it is counted from', () => {
    const s = sheetNamed(py, 'Summary');
    const named = (name: string) => {
      const ref = py.definedNames[name];
      if (!ref) throw new Error(`no defined name ${name}: ${Object.keys(py.definedNames).join(', ')}`);
      const m = /^'?Summary'?!\$([A-Z]+)\$(\d+)$/.exec(ref);
      if (!m) throw new Error(`${name} -> ${ref}`);
      const cell = cellAt(s, `${m[1]}${m[2]}`);
      return { cell, link: s.links[`C${m[2]}`] };
    };
    // The sample: 2 buckets (1 measured), 99.982 % of objects, 1 of 2 with default encryption, 15 findings.
    expect(named('ObjectsEncrypted')).toMatchObject({
      cell: { value: 0.99982, type: 'n', numberFormat: '0.000%' },
      link: { location: "'Coverage'!A4" },
    });
    expect(named('BucketsMeasured').cell).toMatchObject({ value: 1, type: 'n' });
    expect(named('BucketsInScope')).toMatchObject({
      cell: { value: 2, type: 'n' },
      link: { location: "'Buckets'!A1" },
    });
    expect(named('BucketsDefaultEncryption').cell.value).toBe(1);
    expect(named('Findings')).toMatchObject({ cell: { value: 15, type: 'n' }, link: { location: "'Findings'!A1" } });
    expect(named('ControlsFailing').cell.value).toBe(1); // the sample's one failing control
    expect(named('MissingEvidence').cell.value).toBe(1);
    // The Coverage row linked to is the tenant total row.
    expect(cellAt(sheetNamed(py, 'Coverage'), 'C4').value).toBe('Tenant total (ACME Corp)');
    // A link names no file: it stays inside the workbook.
    for (const name of Object.keys(py.definedNames)) expect(named(name).link?.file).toBeUndefined();
  });

  it('rows that cite evidence link to the file inside the packet, relatively', () => {
    const buckets = sheetNamed(py, 'Buckets');
    // Evidence is the 37th column, AK.
    expect(headerValues(buckets).indexOf('Evidence')).toBe(36);
    expect(buckets.links.AK2).toEqual({
      file: 'evidence/accounts/111122223333/buckets/acme-prod-data/get-bucket-encryption.json',
    });
    const controls = sheetNamed(py, 'Controls');
    expect(controls.links.I3).toEqual({ file: 'evidence/a.json' });
    // No link of any sheet leaves the packet.
    for (const sheet of py.sheets)
      for (const link of Object.values(sheet.links))
        if (link.file !== undefined) expect(link.file).toMatch(/^(evidence|exports)\/[^:]*$/);
  });
});

describe('renderXlsx: the scope per bucket type on Summary', () => {
  it('one line per type after completeness: count in scope, and where a type could not be listed, why', async () => {
    const p = samplePacket();
    p.scope = {
      types: [
        { type: 'general_purpose', state: 'listed', inScope: 2, excluded: 1, undetermined: 0, unlisted: [] },
        {
          type: 'directory',
          state: 'unlisted',
          inScope: 1,
          excluded: 0,
          undetermined: 0,
          unlisted: [
            {
              where: 'account 111122223333 ap-south-2',
              source: 's3express:ListDirectoryBuckets',
              reason: 'AccessDenied: not authorized',
            },
          ],
        },
        { type: 'table', state: 'not_read', inScope: 0, excluded: 0, undetermined: 0, unlisted: [] },
      ],
    };
    const s = sheetNamed(
      readWorkbook(tempFile('scope.xlsx', await renderXlsx(p, { wording, unencryptedCsv: CSV }))),
      'Summary',
    );
    expect(s.rows.slice(10, 14).map((r) => r.map((c) => c.value))).toEqual([
      ['General purpose buckets', '2 in scope · 1 excluded', 'every listing of the type answered'],
      [
        'Directory (S3 Express One Zone) buckets',
        '1 in scope',
        'not listed in account 111122223333 ap-south-2: s3express:ListDirectoryBuckets (AccessDenied: not authorized)',
      ],
      [
        'Table (S3 Tables) buckets',
        'not read',
        "this packet's evidence holds no listing of the type; its buckets are not counted",
      ],
      ['Objects encrypted', 0.99982, '1 of 2 buckets measured'],
    ]);
  });
});
