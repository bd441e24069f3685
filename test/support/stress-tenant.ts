/**
 * The stress tenant of issue 12 (a generated fixture, not the demo): 300 buckets with 63-character
 * names (the longest S3 allows), 465 findings of six rules, 60 exceptions of which 12 have no owner,
 * and a 108-character tenant name, on top of the sample packet with every section filled. The page
 * must hold it on A4 and on Letter without hiding a FAIL or NOT EVALUATED control.
 */
import type { ExceptionRow } from '../../src/model/governance-sections.js';
import { emptyTally, ENCRYPTION_STATUSES, type EncryptionStatus } from '../../src/evidence/inventory.js';
import type { BucketResult, Finding, Packet } from '../../src/model/packet.js';
import { samplePacket } from './sample-packet.js';

export const STRESS_TENANT_NAME =
  'Contoso Global Logistics and Maritime Shipping Holdings International Limited Partnership of Europe and Asia';

/** Bucket i's name: exactly 63 characters, the number near the end so names differ only there. */
export function stressBucketName(i: number): string {
  const tail = `-${String(i).padStart(4, '0')}-archive`;
  return `contoso-global-logistics-eu-central-1-production-data${tail}`.slice(0, 63 - tail.length) + tail;
}

/** How many findings each rule raises, worst first (465 in all). */
export const STRESS_RULES = [
  {
    rule: 'baseline-drift',
    severity: 'critical',
    count: 5,
    text: 'bucket policy statement "DenyInsecureTransport" removed',
  },
  { rule: 's3-policy-denies-insecure-transport', severity: 'high', count: 100, text: 'plain-HTTP requests not denied' },
  { rule: 's3-objects-encrypted', severity: 'high', count: 40, text: '12 unencrypted objects (4.1 MB)' },
  {
    rule: 's3-policy-denies-unencrypted-uploads',
    severity: 'medium',
    count: 300,
    text: 'uploads without SSE not denied',
  },
  { rule: 'exceptions-register', severity: 'medium', count: 12, text: 'exception has no owner' },
  { rule: 'kms-customer-keys-rotate', severity: 'low', count: 8, text: 'automatic key rotation is off' },
] as const;

export const STRESS_EXCEPTIONS = 60;
/** Buckets whose objects were not measured: the last has no report for the period, the one before an unreadable one. */
const STRESS_NOT_MEASURED = 2;
export const STRESS_OWNERLESS = 12;

export function stressTenant(): Packet {
  const base = samplePacket({ logs: true, governance: true });
  const template = base.buckets[0]!;
  const buckets = Array.from({ length: 300 }, (_, i): BucketResult => {
    const name = stressBucketName(i);
    const row = {
      ...template,
      name,
      evidence: [`evidence/accounts/111122223333/buckets/${name}/get-bucket-encryption.json`],
    };
    if (i === 299)
      return {
        ...row,
        coverage: {
          state: 'no_inventory',
          cause: 'not_delivered',
          reason: `no S3 Inventory report for bucket ${name}`,
        },
      };
    if (i === 298)
      return {
        ...row,
        coverage: {
          state: 'unverified',
          reason: 'inventory data file MD5 mismatch',
          problems: ['data/0.csv.gz: MD5 mismatch'],
        },
      };
    return row;
  });
  // The tenant's coverage is the sum over the measured buckets, as analysis makes it.
  const tally = emptyTally();
  for (const b of buckets) {
    if (b.coverage.state !== 'measured') continue;
    for (const status of ENCRYPTION_STATUSES) {
      tally[status].objects += b.coverage.tally[status].objects;
      tally[status].bytes += b.coverage.tally[status].bytes;
    }
  }
  const sum = (statuses: readonly EncryptionStatus[]) => ({
    objects: statuses.reduce((n, st) => n + tally[st].objects, 0),
    bytes: statuses.reduce((n, st) => n + tally[st].bytes, 0),
  });
  const total = sum(ENCRYPTION_STATUSES);
  const encrypted = sum(ENCRYPTION_STATUSES.filter((st) => st !== 'NOT-SSE'));
  const measured = 300 - STRESS_NOT_MEASURED;
  const coverage: Packet['coverage'] = {
    measuredBuckets: measured,
    totalBuckets: 300,
    tally,
    total,
    encrypted,
    unencrypted: sum(['NOT-SSE']),
    objectsPct: (encrypted.objects / total.objects) * 100,
    bytesPct: (encrypted.bytes / total.bytes) * 100,
  };
  let n = 0;
  const findings: Finding[] = STRESS_RULES.flatMap(({ rule, severity, count, text }) =>
    Array.from({ length: count }, (_, i) => {
      const resource = stressBucketName(i % 300);
      n++;
      return {
        id: `F-${String(n).padStart(3, '0')}`,
        severity,
        controlId: rule,
        resource,
        text: `${resource}: ${text}`,
        evidence: [],
      };
    }),
  );
  const exceptions = base.sections.exceptions;
  if (exceptions.state !== 'evaluated') throw new Error('the governance sample has an evaluated exceptions register');
  const entries: ExceptionRow[] = Array.from({ length: STRESS_EXCEPTIONS }, (_, i) => {
    const row: ExceptionRow = {
      id: `EX-2026-${String(101 + i)}`,
      scope: { bucket: stressBucketName(i) },
      control: 's3-policy-denies-insecure-transport',
      reason: 'CDN origin migration, tracked in the quarterly plan',
      owner: `platform-team-${i}@contoso.example`,
      ticket: `SEC-${1000 + i}`,
      approvedBy: 'CISO',
      expires: '2027-03-31',
      status: 'active',
      daysLeft: 150,
      appliedTo: [stressBucketName(i)],
      problems: [],
    };
    if (i >= STRESS_EXCEPTIONS - STRESS_OWNERLESS) {
      const { owner: _owner, ...ownerless } = row;
      return ownerless;
    }
    return row;
  });
  return {
    ...base,
    tenant: { ...base.tenant, displayName: STRESS_TENANT_NAME },
    buckets,
    coverage,
    sources: {
      ...base.sources,
      inventory: 'inventory 2026-10-31 for 298 of 300 buckets (1 report unreadable, 1 not delivered), current versions',
    },
    completeness: {
      complete: false,
      missing: [
        ...base.completeness.missing,
        { scope: `bucket ${stressBucketName(298)}`, source: 'S3 Inventory', reason: 'report unreadable' },
        { scope: `bucket ${stressBucketName(299)}`, source: 'S3 Inventory', reason: 'no report for the period' },
      ],
      text: 'Evidence incomplete: 1 bucket unreadable (AccessDenied); 2 buckets without a readable inventory report',
    },
    // Every bucket has default encryption; 100 lack the TLS deny and all 300 the SSE deny (the findings above).
    kpis: {
      ...base.kpis,
      objectsPct: coverage.objectsPct,
      bytesPct: coverage.bytesPct,
      coverageBasis: `${measured} of 300 buckets measured`,
      defaultEncryption: { enabled: 300, total: 300 },
      sseEnforced: { yes: 0, total: 300 },
      tlsEnforced: { yes: 200, total: 300 },
    },
    findings,
    sections: {
      ...base.sections,
      exceptions: {
        ...exceptions,
        counts: { active: STRESS_EXCEPTIONS, expired: 0, expiring_soon: 0, unused: 0, invalid: 0 },
        entries,
        expiringWithin30Days: [],
      },
    },
  };
}
