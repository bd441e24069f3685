/** The "AWS Config" sheet, read back with the independent workbook reader: recorders, rules × resources with both verdicts, changes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsConfigSection } from '../../../src/analyze/aws-config/index.js';
import { loadWording } from '../../../src/wording/wording.js';
import { renderXlsx } from '../../../src/render/xlsx/index.js';
import { cellAt, readWorkbook, sheetNamed, type SheetDump, type WorkbookDump } from '../../support/xlsx-reader.js';
import { samplePacket } from '../../support/sample-packet.js';
import {
  A,
  B,
  BUCKETS,
  CLOUDTRAIL,
  CONTROLS,
  KEYS,
  PERIOD,
  TENANT,
  configEvidence,
} from '../../analyze/aws-config/fixture.js';

const wording = loadWording();
const GREEN = 'FFC6EFCE';
const RED = 'FFFFC7CE';
const AMBER = 'FFFFEB9C';
const values = (sheet: SheetDump, row: number) => sheet.rows[row - 1]!.map((c) => c.value);

async function workbook(collected: boolean): Promise<WorkbookDump> {
  const packet = samplePacket();
  const config = configEvidence();
  if (!collected) config.accounts = [config.accounts[1]!];
  packet.sections.awsConfig = awsConfigSection({
    config,
    tenant: TENANT,
    period: PERIOD,
    buckets: BUCKETS,
    keys: KEYS,
    controls: CONTROLS,
    cloudTrail: CLOUDTRAIL,
    wording,
  }).section;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'xlsx-config-')), 'config.xlsx');
  writeFileSync(file, await renderXlsx(packet, { wording, unencryptedCsv: 'exports/unencrypted-objects.csv' }));
  return readWorkbook(file, 30);
}

describe('AWS Config sheet, collected', () => {
  let s: SheetDump;
  beforeAll(async () => {
    s = sheetNamed(await workbook(true), 'AWS Config');
  });

  it('note, header, frozen header and a filter over 3 recorders, 11 rule rows and 4 history rows', () => {
    expect(cellAt(s, 'A1')).toMatchObject({
      value:
        'AWS Config from 2026-10-01T00:00:00Z to 2026-11-01T00:00:00Z (UTC, end exclusive): 5 rules, 8 verdicts beside ours — 3 agree, 2 disagree, 2 not comparable; 3 configuration changes; 1 region not recording',
      bold: true,
    });
    expect(values(s, 2)).toEqual([
      'Section',
      'Account',
      'Region',
      'Rule',
      'Managed rule',
      'Our control',
      'Resource',
      'AWS verdict',
      'Our verdict',
      'Agreement',
      'Time (America/New_York)',
      'Changed by',
      'Detail',
    ]);
    expect([s.freezePanes, s.autoFilter, s.maxRow]).toEqual(['A3', 'A2:M19', 19]);
  });

  it('recorders: state words toned, the sentence in Detail', () => {
    expect(values(s, 4)).toEqual([
      'Recorder',
      A,
      'us-east-1',
      'default',
      null,
      null,
      null,
      'NOT RECORDING',
      null,
      null,
      null,
      null,
      `AWS Config is not recording in ${A}/us-east-1 (recorder default is stopped)`,
    ]);
    expect([cellAt(s, 'H3').fill, cellAt(s, 'H4').fill]).toEqual([GREEN, AMBER]);
    expect(values(s, 5).slice(0, 8)).toEqual(['Recorder', B, 'eu-west-1', null, null, null, null, 'NOT COLLECTED']);
  });

  it('a disagreement: both verdicts side by side, the agreement cell red, the explanation in Detail', () => {
    const row = values(s, 10);
    expect(row.slice(0, 11)).toEqual([
      'Rule',
      A,
      'eu-west-1',
      'sse',
      'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED',
      's3-default-encryption-enabled',
      'bucket logs',
      'NON_COMPLIANT',
      'PASS',
      'DISAGREE',
      '2026-10-09T20:00:00.000Z',
    ]);
    expect(row[12]).toContain('says NON_COMPLIANT as of 2026-10-10 00:00 UTC, but Default encryption enabled passes');
    expect([cellAt(s, 'H10').fill, cellAt(s, 'I10').fill, cellAt(s, 'J10').fill]).toEqual([RED, GREEN, RED]);
    // Agreement elsewhere is green, never red.
    expect(values(s, 9).slice(6, 10)).toEqual(['bucket data', 'COMPLIANT', 'PASS', 'Agree']);
    expect(cellAt(s, 'J9').fill).toBe(GREEN);
  });

  it('out-of-scope results, a rule without a control, a rule not found', () => {
    expect(values(s, 11)[12]).toBe("1 further result for resources outside the tenant's scope");
    expect(values(s, 12).slice(3, 10)).toEqual([
      'tags',
      `arn:aws:lambda:eu-west-1:${A}:function:tags`,
      null,
      'bucket data',
      'NON_COMPLIANT',
      null,
      'no corresponding control',
    ]);
    expect(values(s, 15).slice(3, 8)).toEqual(['missing-rule', null, null, null, 'NOT FOUND']);
  });

  it('history rows: time, author (with the CloudTrail event) and what changed', () => {
    expect(values(s, 16)).toEqual([
      'Change',
      A,
      'eu-west-1',
      null,
      null,
      null,
      'key alias/acme',
      null,
      null,
      null,
      '2026-10-15T04:00:00.000Z',
      `arn:aws:iam::${A}:role/admin (PutKeyPolicy)`,
      'first configuration item in the period; no earlier item to compare',
    ]);
    expect(values(s, 17)[12]).toBe('AWS Config has no record of this resource (ResourceNotDiscoveredException)');
    expect(values(s, 18).slice(6, 13)).toEqual([
      'bucket logs',
      null,
      null,
      null,
      '2026-10-12T04:00:00.000Z',
      'unknown',
      'policy changed',
    ]);
  });
});

describe('AWS Config sheet, not collected', () => {
  it('says why in the note and keeps the header', async () => {
    const s = sheetNamed(await workbook(false), 'AWS Config');
    expect(cellAt(s, 'A1').value).toBe(
      `Not collected: no AWS Config evidence (account ${B}: the offline export /exports/b has no configservice/ folder)`,
    );
    expect(values(s, 2)[0]).toBe('Section');
    expect(s.maxRow).toBe(2);
  });
});
