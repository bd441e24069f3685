/**
 * Drift, exceptions and trend sections for the sample packet (`samplePacket({ governance: true })`),
 * written by hand so renderer tests do not depend on the analysis. The figures agree with each other:
 * - drift against baseline v1 (period 2026-09, approved 2026-09-30 14:00 New York by Jane Doe):
 *   2 critical (TLS deny removed on acme-web-assets, rotation off on the sample key), 1 warning, 1 info;
 * - the register judged on 2026-11-01 (New York): EX-1 active (150 days left), EX-2 expired on
 *   2026-10-15 (-17), EX-3 expiring 2026-11-20 (19 days), EX-4 unused (91 days), EX-5 invalid (no owner);
 * - two controls gain excepted resources (EX-1 on acme-prod-data, EX-3 on the sample key);
 * - the trend runs 2025-11..2026-10 with 2026-01 missing and 2026-04 unreadable; September's point
 *   gives the deltas: objects 99.972 -> 99.982 (+0.010 pt), bytes 99.91 -> 99.9 (-0.010 pt),
 *   denied uploads 12 -> 17 (+5, when the sample has logs).
 */
import type { DriftItem, DriftSection, ExceptionsSection, TrendSection } from '../../src/model/governance-sections.js';
import type { TrendPoint } from '../../src/evidence/governance-evidence.js';
import type { ControlResult, Packet } from '../../src/model/packet.js';
import { SAMPLE_KEY_ARN } from './sample-log-sections.js';

export const HOSTILE_SID = '=SUM(A1:A9)';
export const HOSTILE_REASON = '-1+cmd|calc';

const TLS_STATEMENT = {
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::acme-web-assets', 'arn:aws:s3:::acme-web-assets/*'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

const SAMPLE_DRIFT_ITEMS: DriftItem[] = [
  {
    resource: 'acme-web-assets',
    resourceType: 'bucket',
    kind: 'policy_statement_removed',
    severity: 'critical',
    summary: 'Bucket policy of bucket acme-web-assets: statement "DenyInsecureTransport" removed: TLS deny removed.',
    statement: 'DenyInsecureTransport',
    before: TLS_STATEMENT,
    after: null,
  },
  {
    resource: SAMPLE_KEY_ARN,
    resourceType: 'key',
    kind: 'key_rotation',
    severity: 'critical',
    summary: `Automatic rotation of key ${SAMPLE_KEY_ARN} turned off.`,
    before: { state: 'enabled', periodDays: 365 },
    after: { state: 'disabled' },
  },
  {
    resource: 'acme-prod-data',
    resourceType: 'bucket',
    kind: 'policy_statement_changed',
    severity: 'medium',
    summary: `Bucket policy of bucket acme-prod-data: statement "${HOSTILE_SID}" changed (Principal, Action).`,
    statement: HOSTILE_SID,
    changedFields: ['Principal', 'Action'],
    before: {
      Sid: HOSTILE_SID,
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/app-writer' },
      Action: 's3:PutObject',
    },
    after: {
      Sid: HOSTILE_SID,
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/app-writer' },
      Action: ['s3:PutObject', 's3:DeleteObject'],
    },
  },
  {
    resource: 'acme-new-bucket',
    resourceType: 'bucket',
    kind: 'not_comparable',
    severity: 'info',
    summary: 'The rotation period of bucket acme-new-bucket cannot be compared with the baseline.',
    // A bare JSON number that starts like a formula: the workbook must neutralise it.
    before: -1,
    after: null,
  },
];

function sampleDrift(): DriftSection {
  return {
    state: 'compared',
    baseline: {
      version: 1,
      approvedBy: 'Jane Doe',
      approvedAt: '2026-09-30T18:00:00Z',
      reason: 'State after the September remediation',
      period: '2026-09',
    },
    counts: { critical: 2, high: 0, medium: 1, low: 0, info: 1 },
    items: SAMPLE_DRIFT_ITEMS,
  };
}

const REGISTER_FILE = 'config/exceptions/acme.yaml';

function sampleExceptions(): ExceptionsSection {
  return {
    state: 'evaluated',
    file: REGISTER_FILE,
    asOf: '2026-11-01T11:00:00Z',
    timeZone: 'America/New_York',
    counts: { active: 1, expired: 1, expiring_soon: 1, unused: 1, invalid: 1 },
    entries: [
      {
        id: 'EX-1',
        scope: { bucket: 'acme-prod-data' },
        control: 's3-default-encryption-matches-expectation',
        reason: 'Legacy writer needs SSE-S3 until the Q1 migration',
        owner: 'data-team',
        ticket: 'SEC-101',
        approvedBy: 'CISO',
        expires: '2027-03-31',
        status: 'active',
        daysLeft: 150,
        appliedTo: ['acme-prod-data'],
        problems: [],
      },
      {
        id: 'EX-2',
        scope: { bucket: 'acme-web-assets' },
        control: 's3-policy-denies-insecure-transport',
        reason: 'CDN origin migration',
        owner: 'web-team',
        ticket: 'SEC-88',
        approvedBy: 'CISO',
        expires: '2026-10-15',
        status: 'expired',
        daysLeft: -17,
        appliedTo: [],
        problems: [],
      },
      {
        id: 'EX-3',
        scope: { key: SAMPLE_KEY_ARN },
        control: 'kms-customer-keys-rotate',
        reason: 'Key is being retired',
        owner: 'platform-team',
        ticket: 'SEC-120',
        approvedBy: 'CISO',
        expires: '2026-11-20',
        status: 'expiring_soon',
        daysLeft: 19,
        appliedTo: ['alias/app-data'],
        problems: [],
      },
      {
        id: 'EX-4',
        scope: { bucket: 'acme-archive', prefix: 'legacy/' },
        control: 's3-objects-encrypted',
        reason: 'Archived objects re-encrypted in batches',
        owner: 'data-team',
        ticket: 'SEC-130',
        approvedBy: 'CISO',
        expires: '2027-01-31',
        status: 'unused',
        daysLeft: 91,
        appliedTo: [],
        problems: ['covers prefix legacy/ only; the FAIL of acme-archive is not shown to lie within it, so it stands'],
      },
      {
        id: 'EX-5',
        scope: { bucket: 'acme-denied' },
        control: 's3-default-encryption-enabled',
        reason: HOSTILE_REASON,
        ticket: 'SEC-131',
        expires: '2026-12-31',
        status: 'invalid',
        daysLeft: 60,
        appliedTo: [],
        problems: [`${REGISTER_FILE}: entries[4].owner: missing; an exception needs an owner`],
      },
    ],
    expiringWithin30Days: ['EX-3'],
  };
}

const GAP = { objectsPct: null, bytesPct: null, deniedUploads: null, failingControls: null, criticalDrifts: null };

/** `deniedThisMonth`: October's denied uploads (null when the packet did not collect them). */
function sampleTrend(deniedThisMonth: number | null): TrendSection {
  const present = (
    period: string,
    o: number,
    b: number,
    denied: number | null,
    failing: number,
    critical: number | null,
  ): TrendPoint => ({
    period,
    state: 'present',
    objectsPct: o,
    bytesPct: b,
    deniedUploads: denied,
    failingControls: failing,
    criticalDrifts: critical,
  });
  return {
    state: 'collected',
    points: [
      present('2025-11', 97.5, 98, 40, 5, null),
      present('2025-12', 98.1, 98.4, 35, 5, null),
      { period: '2026-01', state: 'missing', ...GAP },
      present('2026-02', 98.9, 99, 30, 4, null),
      present('2026-03', 99.2, 99.4, 28, 4, null),
      { period: '2026-04', state: 'unreadable', ...GAP, problem: 'packet.json of 2026-04 lacks kpis (Invalid input)' },
      present('2026-05', 99.5, 99.6, 25, 3, null),
      present('2026-06', 99.7, 99.8, 22, 3, null),
      present('2026-07', 99.9, 99.95, 20, 3, null),
      present('2026-08', 99.95, 99.97, null, 3, null),
      { ...present('2026-09', 99.972, 99.91, 12, 2, 0), manifestSha256: 'a1b2c3d4'.repeat(8) },
      present('2026-10', 99.982, 99.9, deniedThisMonth, 2, 2),
    ],
  };
}

/** Two controls with resources the register excepted: one still FAIL (another resource), one EXCEPTION. */
function exceptedControls(): ControlResult[] {
  return [
    {
      id: 's3-default-encryption-matches-expectation',
      title: 'Encryption mode and key as expected',
      passes: 'Default encryption matches the expected mode and key',
      verdict: 'fail',
      summary: '0 of 2 buckets pass · 1 fail · 1 exception',
      counts: { pass: 0, fail: 1, not_evaluated: 0, not_applicable: 0, exception: 1 },
      resources: [
        {
          resource: 'acme-prod-data',
          verdict: 'exception',
          reason: 'SSE-S3, expected SSE-KMS — excepted by EX-1 (owner data-team, ticket SEC-101, until 2027-03-31)',
          evidence: [],
        },
        { resource: 'acme-web-assets', verdict: 'fail', reason: 'SSE-S3, expected SSE-KMS', evidence: [] },
      ],
      references: [{ framework: 'NIST SP 800-53 Rev. 5', id: 'SC-13', title: 'Cryptographic protection' }],
      remediation: 'Set default encryption to SSE-KMS with the expected key.',
    },
    {
      id: 'kms-customer-keys-rotate',
      title: 'Customer-managed keys rotate',
      passes: 'Automatic rotation is enabled',
      verdict: 'exception',
      summary: '0 of 1 keys pass · 1 exception',
      counts: { pass: 0, fail: 0, not_evaluated: 0, not_applicable: 0, exception: 1 },
      resources: [
        {
          resource: 'alias/app-data',
          verdict: 'exception',
          reason: 'rotation disabled — excepted by EX-3',
          evidence: [],
        },
      ],
      references: [
        { framework: 'NIST SP 800-53 Rev. 5', id: 'SC-12', title: 'Cryptographic key establishment and management' },
      ],
      remediation: 'Enable automatic key rotation.',
    },
  ];
}

export function withGovernance(p: Packet): Packet {
  const denied = p.sections.deniedUploads.state === 'collected' ? p.sections.deniedUploads.total : null;
  return {
    ...p,
    controls: [...p.controls, ...exceptedControls()],
    sections: { ...p.sections, drift: sampleDrift(), exceptions: sampleExceptions(), trend: sampleTrend(denied) },
  };
}
