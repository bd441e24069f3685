import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../src/render/pdf/render-pdf.js';
import { renderXlsx } from '../../src/render/xlsx/index.js';
import { pdfText, squash } from '../render/pdf/pdf-inspect.js';
import { buildPacket } from '../../src/analyze/build-packet.js';
import { loadCatalog } from '../../src/analyze/catalog.js';
import { decideStatus } from '../../src/analyze/status.js';
import { snapshotFromEvidence } from '../../src/evidence/baseline-snapshot.js';
import type { KeyEvidence, TenantEvidence } from '../../src/evidence/bundle.js';
import type { ControlResult } from '../../src/model/packet.js';
import { loadWording } from '../../src/wording/wording.js';
import type { GovernanceEvidence } from '../../src/evidence/governance-evidence.js';
import { bucketEvidence, kmsRule, measuredInventory, ok, tenantEvidence } from '../support/evidence-builders.js';
import { fixturePolicy, stored } from './drift/fixtures.js';

const catalog = loadCatalog();
const wording = loadWording();
const noLogs = { accessLogs: null, cloudTrail: null };
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1111aaaa-2222-3333-4444-555566667777';
const POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'NoSse',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::b/*',
      Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } },
    },
    {
      Sid: 'NoHttp',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
};

function control(verdict: ControlResult['verdict']): ControlResult {
  return { verdict } as ControlResult;
}

describe('decideStatus: the one rule', () => {
  const cases: Array<[string, ControlResult['verdict'][], Array<'critical' | 'high' | 'info'>, boolean, string]> = [
    ['all pass, no critical, complete', ['pass', 'pass'], ['high'], true, 'compliant'],
    ['all pass, a critical finding, complete', ['pass', 'pass'], ['critical'], true, 'attention'],
    ['all pass, a critical finding, incomplete', ['pass', 'not_evaluated'], ['critical'], false, 'attention'],
    ['one fails, no critical', ['fail', 'pass'], [], true, 'attention'],
    ['none fails, no critical, incomplete', ['pass', 'not_evaluated'], [], false, 'incomplete'],
    ['excepted critical (dropped to info) does not block', ['exception', 'pass'], ['info'], true, 'compliant'],
  ];
  for (const [name, verdicts, severities, complete, status] of cases) {
    it(`${name} → ${status}`, () => {
      const d = decideStatus({
        controls: verdicts.map(control),
        findings: severities.map((severity) => ({ severity, text: `a ${severity} thing` })),
        complete,
        wording,
      });
      expect(d.status).toBe(status);
    });
  }

  it('the reason names the first critical finding and states the rule', () => {
    const d = decideStatus({
      controls: [control('pass')],
      findings: [
        { severity: 'critical', text: 'Key X is pending deletion' },
        { severity: 'critical', text: 'other' },
      ],
      complete: true,
      wording,
    });
    expect(d.reason).toBe(
      '2 critical findings are active (Key X is pending deletion): a failing control or an active critical finding is never COMPLIANT',
    );
    const both = decideStatus({
      controls: [control('fail'), control('fail')],
      findings: [{ severity: 'critical', text: 'drift' }],
      complete: true,
      wording,
    });
    expect(both.reason).toBe(
      '2 controls fail; 1 critical finding is active (drift): a failing control or an active critical finding is never COMPLIANT',
    );
    expect(decideStatus({ controls: [control('pass')], findings: [], complete: true, wording }).reason).toBe(
      'Every control passes or is excepted, no critical finding is active and the evidence is complete',
    );
  });
});

function customerKey(state: string, policy: object = fixturePolicy('key-policy-approved.json')): KeyEvidence {
  return {
    reference: KEY,
    referencedBy: ['b'],
    account: '111122223333',
    region: 'eu-west-1',
    describe: ok('kms:DescribeKey', {
      KeyMetadata: {
        KeyId: '1111aaaa-2222-3333-4444-555566667777',
        Arn: KEY,
        KeyManager: 'CUSTOMER',
        KeyState: state,
        Enabled: state === 'Enabled',
      },
    }),
    rotation: ok('kms:GetKeyRotationStatus', { KeyRotationEnabled: true, RotationPeriodInDays: 365 }),
    policy: ok('kms:GetKeyPolicy', { Policy: JSON.stringify(policy), PolicyName: 'default' }),
  };
}

function evidenceWith(key: KeyEvidence): TenantEvidence {
  return tenantEvidence(
    [
      bucketEvidence({
        name: 'b',
        encryption: kmsRule('aws:kms', KEY),
        policy: POLICY,
        inventory: measuredInventory('b', { 'SSE-KMS': [4, 40] }),
      }),
    ],
    [key],
  );
}

describe('status in the packet', () => {
  it('a compliant-looking tenant whose key is enabled stays COMPLIANT', () => {
    const p = buildPacket({
      evidence: evidenceWith(customerKey('Enabled')),
      logs: noLogs,
      governance: null,
      catalog,
      wording,
    });
    expect(p.controls.map((c) => c.verdict).filter((v) => v === 'fail')).toEqual([]);
    expect(p.status).toBe('compliant');
  });

  for (const [state, words] of [
    ['PendingDeletion', 'pending deletion'],
    ['Disabled', 'disabled'],
  ] as const) {
    it(`a key in use that is ${words} is a critical finding: ATTENTION, never COMPLIANT`, () => {
      const p = buildPacket({
        evidence: evidenceWith(customerKey(state)),
        logs: noLogs,
        governance: null,
        catalog,
        wording,
      });
      expect(p.controls.filter((c) => c.verdict === 'fail')).toEqual([]);
      expect(p.completeness.complete).toBe(true);
      expect(p.status).toBe('attention');
      expect(p.findings[0]).toMatchObject({
        severity: 'critical',
        controlId: 'kms-key-state',
        resource: KEY,
        text: `${KEY} is ${words}: data encrypted under it (b) cannot be decrypted while it stays so`,
      });
      expect(p.headline).toBe('No control failing · 1 critical finding');
      expect(p.statusReason).toBe(
        `1 critical finding is active (${KEY} is ${words}: data encrypted under it (b) cannot be decrypted while it stays so): a failing control or an active critical finding is never COMPLIANT`,
      );
    });
  }

  it('a key-policy change granting another account kms:* (critical drift) is ATTENTION, never COMPLIANT', () => {
    const approved = evidenceWith(customerKey('Enabled'));
    const grant = fixturePolicy('key-policy-approved.json') as { Statement: object[] };
    grant.Statement.push({
      Sid: 'Partner',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::999988887777:root' },
      Action: 'kms:*',
      Resource: '*',
    });
    const now = evidenceWith(customerKey('Enabled', grant));
    const governance: GovernanceEvidence = {
      baseline: stored({ ...snapshotFromEvidence(approved), period: '2026-09' }),
      baselineLocation: 'baselines/',
      exceptions: { file: 'config/exceptions/acme.yaml', exists: false, entries: [] },
      previousMonths: [],
    };
    const p = buildPacket({ evidence: now, logs: noLogs, governance, catalog, wording });
    expect(p.controls.filter((c) => c.verdict === 'fail')).toEqual([]);
    expect(p.completeness.complete).toBe(true);
    if (p.sections.drift.state !== 'compared') throw new Error(`drift ${p.sections.drift.state}`);
    expect(p.sections.drift.items.map((i) => i.severity)).toEqual(['critical']);
    expect(p.status).toBe('attention');
    expect(p.findings[0]).toMatchObject({ severity: 'critical', controlId: 'baseline-drift' });
    expect(p.findings[0]!.text).toContain('grants AWS:arn:aws:iam::999988887777:root');
    expect(p.headline).toBe('No control failing · 1 critical finding');
    expect(p.statusReason).toMatch(
      /^1 critical finding is active \(Key policy of key .*grants AWS:arn:aws:iam::999988887777:root.*\): a failing control or an active critical finding is never COMPLIANT$/,
    );
  });
});

describe('the status reason where readers see it', () => {
  it('on the page (status box headline) and in the workbook Summary beside the status', async () => {
    const p = buildPacket({
      evidence: evidenceWith(customerKey('PendingDeletion')),
      logs: noLogs,
      governance: null,
      catalog,
      wording,
    });
    const text = squash(pdfText(await renderPdf(p, { pageSize: 'A4', wording, packetSha256: '0'.repeat(64) })));
    expect(text).toContain('ATTENTION');
    expect(text).toContain('No control failing · 1 critical finding');
    expect(text).toContain('is pending deletion');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await renderXlsx(p, { wording, unencryptedCsv: 'exports/unencrypted-objects.csv' })) as unknown as ArrayBuffer,
    );
    const summary = wb.getWorksheet('Summary')!;
    const row = summary.getColumn(1).values.indexOf('Status');
    expect(summary.getCell(row, 2).value).toBe('ATTENTION');
    expect(summary.getCell(row, 3).value).toBe(p.statusReason);
  });
});
