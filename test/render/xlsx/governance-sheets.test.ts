import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../../src/model/packet.js';
import { loadWording } from '../../../src/wording/wording.js';
import { renderXlsx } from '../../../src/render/xlsx/index.js';
import { cellAt, readWorkbook, sheetNamed, type SheetDump, type WorkbookDump } from '../../support/xlsx-reader.js';
import { HOSTILE_REASON, HOSTILE_SID } from '../../support/sample-governance-sections.js';
import { SAMPLE_KEY_ARN } from '../../support/sample-log-sections.js';
import { samplePacket } from '../../support/sample-packet.js';

const wording = loadWording();
const GREEN = 'FFC6EFCE';
const RED = 'FFFFC7CE';
const AMBER = 'FFFFEB9C';
const GREY = 'FFD9D9D9';
const LAVENDER = 'FFE4DFEC';

const values = (sheet: SheetDump, row: number) => sheet.rows[row - 1]!.map((c) => c.value);
const render = (p: Packet) => renderXlsx(p, { wording, unencryptedCsv: 'exports/unencrypted-objects.csv' });

function read(bytes: Buffer): WorkbookDump {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'xlsx-gov-')), 'gov.xlsx');
  writeFileSync(file, bytes);
  return readWorkbook(file, 40);
}

describe('renderXlsx: drift, exceptions and trend sheets', () => {
  let bytes: Buffer;
  let py: WorkbookDump;
  beforeAll(async () => {
    bytes = await render(samplePacket({ governance: true, logs: true }));
    py = read(bytes);
  });

  it('adds the three sheets before Sections', () => {
    expect(py.sheetNames.slice(9, 15)).toEqual(['Key events', 'Drift', 'Exceptions', 'Trend', 'Sections', 'Evidence']);
  });

  it('Drift: a note, the baseline block, then one row per item under a frozen, filtered header', () => {
    const s = sheetNamed(py, 'Drift');
    expect(cellAt(s, 'A1')).toMatchObject({
      value:
        '4 changes against baseline v1: 2 critical, 1 medium, 1 info. Before and after are the approved and the current state, as JSON.',
      bold: true,
    });
    expect([2, 3, 4, 5, 6, 7].map((r) => values(s, r).slice(0, 2))).toEqual([
      ['Baseline version', 1],
      ['Approved period', '2026-09'],
      ['Approved at (UTC)', '2026-09-30T18:00:00.000Z'],
      ['Approved by', 'Jane Doe'],
      ['Reason', 'State after the September remediation'],
      ['Changes', '2 critical, 1 medium, 1 info'],
    ]);
    expect(values(s, 9)).toEqual([
      'Severity',
      'Type',
      'Resource',
      'Change',
      'Statement',
      'Changed fields',
      'Summary',
      'Before (baseline)',
      'After (this period)',
    ]);
    expect([s.freezePanes, s.autoFilter, s.maxRow]).toEqual(['A10', 'A9:I13', 13]);
  });

  it('Drift: severity coloured, statement and changed fields, JSON pretty-printed, absent sides named', () => {
    const s = sheetNamed(py, 'Drift');
    expect(values(s, 10).slice(0, 7)).toEqual([
      'Critical',
      'bucket',
      'acme-web-assets',
      'statement removed',
      'DenyInsecureTransport',
      null,
      'Bucket policy of bucket acme-web-assets: statement "DenyInsecureTransport" removed: TLS deny removed.',
    ]);
    expect(cellAt(s, 'A10').fill).toBe(RED);
    expect(cellAt(s, 'H10').value).toBe(
      [
        '{',
        '  "Sid": "DenyInsecureTransport",',
        '  "Effect": "Deny",',
        '  "Principal": "*",',
        '  "Action": "s3:*",',
        '  "Resource": [',
        '    "arn:aws:s3:::acme-web-assets",',
        '    "arn:aws:s3:::acme-web-assets/*"',
        '  ],',
        '  "Condition": {',
        '    "Bool": {',
        '      "aws:SecureTransport": "false"',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(cellAt(s, 'I10').value).toBe('(absent)');
    expect(values(s, 11).slice(0, 4)).toEqual(['Critical', 'key', SAMPLE_KEY_ARN, 'key rotation']);
    expect([cellAt(s, 'H11').value, cellAt(s, 'I11').value]).toEqual([
      '{\n  "state": "enabled",\n  "periodDays": 365\n}',
      '{\n  "state": "disabled"\n}',
    ]);
    expect([cellAt(s, 'A12').value, cellAt(s, 'A12').fill, cellAt(s, 'F12').value]).toEqual([
      'Medium',
      AMBER,
      'Principal, Action',
    ]);
    expect([cellAt(s, 'A13').value, cellAt(s, 'A13').fill]).toEqual(['Info', GREY]);
  });

  it('Drift: a Sid or a JSON value that starts like a formula is text, quoted', () => {
    const s = sheetNamed(py, 'Drift');
    expect(cellAt(s, 'E12')).toMatchObject({ value: `'${HOSTILE_SID}`, type: 's' });
    // The before side of the info item is the bare JSON number -1.
    expect(cellAt(s, 'H13')).toMatchObject({ value: "'-1", type: 's' });
    expect(String(cellAt(s, 'H12').value)).toContain(`"Sid": "${HOSTILE_SID}"`);
  });

  it('Exceptions: the whole register with status colours, days left, scope, applied to and problems', () => {
    const s = sheetNamed(py, 'Exceptions');
    expect(cellAt(s, 'A1').value).toBe(
      'Register config/exceptions/acme.yaml, judged at 2026-11-01T11:00:00Z (dates in America/New_York): 5 entries — 1 active, 1 expiring within 30 days, 1 expired, 1 unused, 1 invalid. Expiring within 30 days: EX-3.',
    );
    expect(values(s, 2)).toEqual([
      'Id',
      'Status',
      'Days left',
      'Expires (America/New_York)',
      'Bucket',
      'Prefix',
      'Key',
      'Control',
      'Owner',
      'Ticket',
      'Approved by',
      'Reason',
      'Applied to',
      'Problems',
    ]);
    expect([s.freezePanes, s.autoFilter, s.maxRow]).toEqual(['A3', 'A2:N7', 7]);
    expect(values(s, 3)).toEqual([
      'EX-1',
      'ACTIVE',
      150,
      '2027-03-31T00:00:00.000Z',
      'acme-prod-data',
      null,
      null,
      's3-default-encryption-matches-expectation',
      'data-team',
      'SEC-101',
      'CISO',
      'Legacy writer needs SSE-S3 until the Q1 migration',
      'acme-prod-data',
      null,
    ]);
    expect(s.rows.slice(2, 7).map((r) => [r[0]!.value, r[1]!.value, r[1]!.fill, r[2]!.value])).toEqual([
      ['EX-1', 'ACTIVE', GREEN, 150],
      ['EX-2', 'EXPIRED', RED, -17],
      ['EX-3', 'EXPIRING SOON', AMBER, 19],
      ['EX-4', 'UNUSED', GREY, 91],
      ['EX-5', 'INVALID', RED, 60],
    ]);
    expect(cellAt(s, 'C4').type).toBe('n');
    expect([cellAt(s, 'G5').value, cellAt(s, 'M5').value]).toEqual([SAMPLE_KEY_ARN, 'alias/app-data']);
    expect([cellAt(s, 'E6').value, cellAt(s, 'F6').value]).toEqual(['acme-archive', 'legacy/']);
    expect(cellAt(s, 'N6').value).toBe(
      'covers prefix legacy/ only; the FAIL of acme-archive is not shown to lie within it, so it stands',
    );
    // No owner: blank; a reason starting with "-" is quoted text.
    expect([cellAt(s, 'I7').value, cellAt(s, 'L7').value, cellAt(s, 'L7').type]).toEqual([
      null,
      `'${HOSTILE_REASON}`,
      's',
    ]);
  });

  it('Trend: twelve months; gaps are blank, never 0; percentages are real fractions', () => {
    const s = sheetNamed(py, 'Trend');
    expect(cellAt(s, 'A1').value).toBe(
      "12 months, 2025-11 to 2026-10, from the tenant's earlier packets: 10 with a packet, 1 without, 1 unreadable. A month without a figure is blank, never 0. Each earlier month with figures names the sha256 of the manifest.json its packet verified with.",
    );
    expect(values(s, 2)).toEqual([
      'Month',
      'State',
      'Objects encrypted',
      'Bytes encrypted',
      'Denied uploads',
      'Failing controls',
      'Critical drifts',
      'Note',
      'Its verified manifest.json (SHA-256)',
    ]);
    expect([s.freezePanes, s.autoFilter, s.maxRow]).toEqual(['A3', 'A2:I14', 14]);
    expect(s.rows.slice(2, 14).map((r) => r[0]!.value)).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
    ]);
    expect(values(s, 5)).toEqual(['2026-01', 'no packet', null, null, null, null, null, null, null]);
    expect(cellAt(s, 'B5').fill).toBe(GREY);
    expect(values(s, 8)).toEqual([
      '2026-04',
      'unreadable',
      null,
      null,
      null,
      null,
      null,
      'packet.json of 2026-04 lacks kpis (Invalid input)',
      null,
    ]);
    expect(cellAt(s, 'B8').fill).toBe(RED);
    // August: read, but denied uploads not collected that month.
    expect(values(s, 12)).toEqual(['2026-08', 'packet read', 0.9995, 0.9997, null, 3, null, null, null]);
    // September names the manifest.json its packet verified with; October, the packet itself, none.
    expect(values(s, 13)).toEqual(['2026-09', 'packet read', 0.99972, 0.9991, 12, 2, 0, null, 'a1b2c3d4'.repeat(8)]);
    expect(values(s, 14)).toEqual(['2026-10', 'packet read', 0.99982, 0.999, 17, 2, 2, null, null]);
    expect(cellAt(s, 'C14')).toMatchObject({ type: 'n', numberFormat: '0.000%' });
    expect(cellAt(s, 'B14').fill).toBe(GREEN);
  });

  it('Trend: a month whose refused uploads went past the itemising limit says how many more it counted', async () => {
    const p = samplePacket({ governance: true, logs: true });
    const trend = p.sections.trend;
    if (trend.state !== 'collected') throw new Error('the sample packet has a trend');
    const points = trend.points.map((pt) =>
      pt.period === '2026-09' ? { ...pt, deniedUploadsNotItemised: 4_000 } : pt,
    );
    const s = sheetNamed(
      read(await render({ ...p, sections: { ...p.sections, trend: { ...trend, points } } })),
      'Trend',
    );
    expect(values(s, 13).slice(0, 8)).toEqual([
      '2026-09',
      'packet read',
      0.99972,
      0.9991,
      12,
      2,
      0,
      "Denied uploads: the month's itemised ones; 4,000 more were counted past sources.maxDeniedUploads, not itemised (see that month's packet).",
    ]);
    expect(values(s, 14)[7]).toBeNull();
  });

  it('Sections: one line each for drift, exceptions and trend', () => {
    const s = sheetNamed(py, 'Sections');
    expect(values(s, 4)).toEqual([
      'Drift from baseline',
      'compared',
      '2 critical, 1 medium, 1 info against baseline v1 (period 2026-09, approved 2026-09-30T18:00:00Z by Jane Doe) — sheet Drift',
    ]);
    expect(values(s, 6)).toEqual([
      'Exceptions',
      'evaluated',
      '5 entries: 1 active, 1 expiring within 30 days, 1 expired, 1 unused, 1 invalid; 2 failing resources excepted — sheet Exceptions',
    ]);
    expect(values(s, 7)).toEqual([
      'Trend',
      'collected',
      '12 months, 2025-11 to 2026-10: 10 with a packet, 1 without, 1 unreadable — sheet Trend',
    ]);
    expect([cellAt(s, 'B4').fill, cellAt(s, 'B5').fill, cellAt(s, 'B6').fill]).toEqual([GREEN, GREY, GREEN]);
  });

  it('Controls: EXCEPTION in its own colour, apart from NOT EVALUATED', () => {
    const s = sheetNamed(py, 'Controls');
    const rows = s.rows.filter((r) => r[3]!.value === 'EXCEPTION');
    expect(rows.map((r) => [r[0]!.value, r[2]!.value, r[3]!.fill])).toEqual([
      ['s3-default-encryption-matches-expectation', 'acme-prod-data', LAVENDER],
      ['kms-customer-keys-rotate', '(control)', LAVENDER],
      ['kms-customer-keys-rotate', 'alias/app-data', LAVENDER],
    ]);
    expect(s.rows.find((r) => r[3]!.value === 'NOT EVALUATED')![3]!.fill).toBe(AMBER);
  });

  it('holds no formula, and renders to identical bytes twice', async () => {
    for (const sheet of py.sheets)
      for (const row of sheet.rows)
        for (const cell of row) expect([sheet.title, cell.ref, cell.type]).not.toEqual([sheet.title, cell.ref, 'f']);
    expect((await render(samplePacket({ governance: true, logs: true }))).equals(bytes)).toBe(true);
  });
});

describe('renderXlsx: governance states without data', () => {
  it('no baseline and no register: the sheets stay, saying why, with the approve command', async () => {
    const p = samplePacket({ governance: true });
    const command =
      's3-evidence baseline approve --tenant acme --period 2026-10 --by "<your name>" --reason "<why this state is approved>"';
    p.sections.drift = { state: 'no_baseline', command };
    p.sections.exceptions = { state: 'no_register', file: 'config/exceptions/acme.yaml' };
    const py = read(await render(p));
    const drift = sheetNamed(py, 'Drift');
    expect(cellAt(drift, 'A1').value).toBe(
      "No approved baseline yet: changes cannot be judged. Approve this period's state with the command below.",
    );
    expect(values(drift, 2).slice(0, 2)).toEqual(['Approve with', command]);
    expect([drift.freezePanes, drift.autoFilter, drift.maxRow]).toEqual(['A5', 'A4:I4', 4]);
    const exceptions = sheetNamed(py, 'Exceptions');
    expect([cellAt(exceptions, 'A1').value, exceptions.maxRow]).toEqual([
      'No register at config/exceptions/acme.yaml: no exception applies.',
      2,
    ]);
    const sections = sheetNamed(py, 'Sections');
    expect(values(sections, 4)).toEqual([
      'Drift from baseline',
      'no baseline',
      `no approved baseline; approve this period's state with: ${command}`,
    ]);
    expect(cellAt(sections, 'B4').fill).toBe(AMBER);
    expect(values(sections, 6)).toEqual([
      'Exceptions',
      'no register',
      'no register at config/exceptions/acme.yaml: no exception applies',
    ]);
  });
});
