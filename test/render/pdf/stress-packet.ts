/**
 * The worst page we can think of, built on the shared sample: long and non-WinAnsi names, many
 * controls, many findings with long bucket names, many missing sources, six-digit counts, no
 * inventory at all. If this stays on one page, ordinary packets do.
 */
import type { ControlResult, Packet } from '../../../src/model/packet.js';
import { samplePacket } from '../../support/sample-packet.js';

export const LONG_BUCKET = 'acme-very-long-bucket-name-for-the-one-page-rule-number-0042-archive';

export function stressPacket(): Packet {
  const p = samplePacket({ manyBuckets: 500 });
  const control = (i: number): ControlResult => ({
    id: `control-${i}`,
    title: `Control number ${i} with a rather long descriptive title that cannot fit the column`,
    passes: 'n/a',
    verdict: (['pass', 'fail', 'not_evaluated', 'not_applicable', 'exception'] as const)[i % 5] ?? 'pass',
    summary: `${100000 + i} of 123456 buckets evaluated, with a note that runs on and on`,
    counts: { pass: 1, fail: 0, not_evaluated: 0, not_applicable: 0, exception: 0 },
    resources: [],
    references: [
      { framework: 'NIST SP 800-53 Rev. 5', id: 'SC-28', title: 'Protection of information at rest' },
      { framework: 'CIS AWS Foundations', id: 'CIS-2.1.1', title: 'S3 encryption' },
      { framework: 'PCI DSS 4.0', id: 'PCI-3.5.1', title: 'PAN unreadable' },
    ],
    remediation: 'Fix it.',
  });
  return {
    ...p,
    tenant: {
      ...p.tenant,
      displayName: 'Ünïcødé Œuvre 株式会社 Holdings International Limited Partnership of Everything 🚀',
    },
    operator: 'A Managed Service Provider With An Exceptionally Long Legal Name GmbH & Co. KG',
    status: 'incomplete',
    headline:
      'Evidence incomplete for 37 buckets and 12 keys; 19 controls failing, 4 not evaluated, exceptions expiring',
    completeness: {
      complete: false,
      missing: Array.from({ length: 40 }, (_, i) => ({
        scope: `bucket ${LONG_BUCKET.replace('0042', String(i).padStart(4, '0'))}`,
        source: 's3:GetBucketEncryption',
        reason: 'AccessDenied',
      })),
      text:
        'Evidence incomplete: 37 buckets unreadable (AccessDenied), 12 keys unreadable, no inventory for 250 buckets, ' +
        'access logs not enabled on 480 buckets, CloudTrail data events not configured for this tenant, and more reasons that go on',
    },
    kpis: {
      ...p.kpis,
      objectsPct: null,
      bytesPct: 99.99999,
      coverageBasis: '0 of 123,456 buckets measured from a verified inventory report this month',
      defaultEncryption: { enabled: 123455, total: 123456 },
      sseEnforced: { yes: 100001, total: 123456 },
      tlsEnforced: { yes: 99999, total: 123456 },
      keysRotating: { rotating: 1234, total: 99999 },
    },
    keys: Array.from({ length: 30 }, (_, i) => ({
      ...(p.keys[0] as Packet['keys'][number]),
      alias: `alias/a-very-long-key-alias-that-does-not-rotate-${i}`,
      rotation: { state: 'disabled' as const },
    })),
    controls: Array.from({ length: 25 }, (_, i) => control(i)),
    findings: p.findings.map((f, i) =>
      i < 12 ? { ...f, resource: LONG_BUCKET, text: `${LONG_BUCKET}: ${f.text.split(': ')[1] ?? ''}` } : f,
    ),
    sources: {
      inventory:
        'inventory reports 2026-10-31 for 0 of 123,456 buckets; 250 buckets have no inventory configuration at all',
      accessLogs: 'access logs for 39 of 123,456 buckets, delivered late for 12 of them',
      cloudTrail: 'CloudTrail data events from trail org-trail (o-abc123) for 1-31 October, 3 days missing',
    },
  };
}
