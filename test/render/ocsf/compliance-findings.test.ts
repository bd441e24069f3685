import { describe, expect, it } from 'vitest';
import type { Packet } from '../../../src/model/packet.js';
import {
  complianceFindingEvents,
  complianceFindingLinePieces,
  complianceFindingLines,
  complianceFindings,
  OCSF_VERSION,
} from '../../../src/render/ocsf/compliance-findings.js';
import { samplePacket } from '../../support/sample-packet.js';
import { validateComplianceFinding } from '../../support/ocsf-validator.js';

/**
 * The governance sample (two buckets, one key, excepted resources) with per-resource verdicts of every
 * kind on its first two controls and the frameworks a schema-2 packet records.
 */
function packet(): Packet {
  const p = samplePacket({ governance: true });
  const [first, second, ...rest] = p.controls;
  return {
    ...p,
    schemaVersion: 2,
    controls: [
      {
        ...first!,
        resources: [
          { resource: 'acme-prod-data', verdict: 'pass', reason: 'SSE-S3 (AES256)', evidence: ['evidence/a.json'] },
          {
            resource: 'acme-denied',
            verdict: 'not_evaluated',
            reason: 'GetBucketEncryption: AccessDenied',
            evidence: [],
          },
        ],
      },
      {
        ...second!,
        resources: [
          { resource: 'acme-prod-data', verdict: 'fail', reason: '1 unencrypted object', evidence: [] },
          { resource: 'acme-denied', verdict: 'not_applicable', reason: 'empty bucket', evidence: [] },
        ],
      },
      ...rest,
    ],
    frameworks: [
      {
        id: 'nist-800-53-r5',
        name: 'NIST SP 800-53 Rev. 5',
        short: 'NIST',
        version: 'r5',
        sheet: 'NIST 800-53',
        source: 'NIST',
        requirements: [
          {
            id: 'SC-28',
            title: 'Protection of information at rest',
            controls: ['s3-default-encryption-enabled', 's3-objects-encrypted'],
            status: 'fail',
          },
          { id: 'SC-12', title: 'Key management', controls: ['kms-customer-keys-rotate'], status: 'exception' },
        ],
      },
      {
        id: 'cbc-aws-s3',
        name: 'CBC AWS S3 encryption policy',
        short: 'CBC',
        version: '1',
        sheet: 'CBC',
        source: 'CBC',
        requirements: [{ id: 'CBC-AWS-S3-1', title: 'Encryption', controls: ['s3-objects-encrypted'], status: 'fail' }],
      },
    ],
  };
}

const byUid = (events: ReturnType<typeof complianceFindings>, suffix: string) => {
  const e = events.find((x) => x.finding_info.uid.endsWith(suffix));
  if (!e) throw new Error(`no event ${suffix}`);
  return e;
};

describe('OCSF Compliance Finding export', () => {
  it('every line is one event that conforms to the OCSF 1.x Compliance Finding class', () => {
    const text = complianceFindingLines(packet());
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    // 2 + 2 resources on the first two controls, 2 and 1 on the excepted controls.
    expect(lines).toHaveLength(7);
    for (const line of lines) expect(validateComplianceFinding(JSON.parse(line))).toEqual([]);
  });

  it('the validator is not a rubber stamp: it names what a broken event gets wrong', () => {
    const good = JSON.parse(complianceFindingLines(packet()).split('\n')[0]!) as Record<string, any>;
    const broken = structuredClone(good);
    delete broken.finding_info.uid;
    broken.type_uid = 200302;
    broken.severity_id = 7;
    broken.compliance.status_id = 1;
    broken.compliance.status = 'Fail';
    broken.metadata.version = '2.0.0';
    delete broken.compliance.standards;
    expect(validateComplianceFinding(broken)).toEqual(
      expect.arrayContaining([
        'finding_info.uid: required, missing',
        'type_uid: expected class_uid * 100 + activity_id = 200301',
        'severity_id: 7 is not one of 0, 1, 2, 3, 4, 5, 6, 99',
        'compliance.status: expected "Pass" for compliance.status_id 1, got "Fail"',
        'metadata.version: expected an OCSF 1.x version, got "2.0.0"',
        'compliance.standards: required, missing',
      ]),
    );
    delete broken.time;
    expect(validateComplianceFinding(broken)).toContain('time: required, missing');
  });

  it('maps each verdict to compliance and finding status, never a pass for what was not evaluated', () => {
    const events = complianceFindings(packet());
    const cases = [
      ['s3-default-encryption-enabled/acme-prod-data', 1, 'Pass', 4, 'Resolved', 1],
      ['s3-default-encryption-enabled/acme-denied', 2, 'Warning', 1, 'New', 0],
      ['s3-objects-encrypted/acme-prod-data', 3, 'Fail', 1, 'New', 4], // F-001 is high
      ['s3-objects-encrypted/acme-denied', 99, 'Not Applicable', 4, 'Resolved', 1],
      ['s3-default-encryption-matches-expectation/acme-prod-data', 3, 'Fail', 3, 'Suppressed', 0],
      ['kms-customer-keys-rotate/alias%2Fapp-data', 3, 'Fail', 3, 'Suppressed', 0],
    ] as const;
    for (const [suffix, complianceId, complianceCaption, statusId, statusCaption, severityId] of cases) {
      const e = byUid(events, suffix);
      expect([e.compliance.status_id, e.compliance.status, e.status_id, e.status, e.severity_id], suffix).toEqual([
        complianceId,
        complianceCaption,
        statusId,
        statusCaption,
        severityId,
      ]);
    }
    expect(byUid(events, 's3-default-encryption-matches-expectation/acme-prod-data').compliance.status_detail).toMatch(
      /^excepted: SSE-S3, expected SSE-KMS — excepted by EX-1/,
    );
  });

  it('names the resource, account and region as AWS does, and the frameworks that map the control', () => {
    const events = complianceFindings(packet());
    const bucket = byUid(events, 's3-objects-encrypted/acme-prod-data');
    expect(bucket.resources).toEqual([
      { uid: 'arn:aws:s3:::acme-prod-data', name: 'acme-prod-data', type: 'AWS::S3::Bucket', region: 'eu-west-1' },
    ]);
    expect(bucket.cloud).toEqual({
      provider: 'AWS',
      account: { uid: '111122223333', type_id: 10, type: 'AWS Account' },
      region: 'eu-west-1',
    });
    expect(bucket.compliance.standards).toEqual(['NIST SP 800-53 Rev. 5', 'CBC AWS S3 encryption policy']);
    expect(bucket.compliance.requirements).toEqual(['NIST SC-28', 'CBC CBC-AWS-S3-1']);
    const key = byUid(events, 'kms-customer-keys-rotate/alias%2Fapp-data');
    expect(key.resources[0]).toMatchObject({
      uid: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      type: 'AWS::KMS::Key',
    });
    expect(key.compliance.requirements).toEqual(['NIST SC-12']);
  });

  it('is deterministic: times from the packet, stable unique ids, metadata of the tool, no local path', () => {
    const p = packet();
    const events = complianceFindings(p);
    // 2026-11-01T11:00:00Z, the sample's generatedAt; the period 2026-10 in New York.
    expect(new Set(events.map((e) => e.time))).toEqual(new Set([Date.UTC(2026, 10, 1, 11)]));
    expect(events[0]!.start_time).toBe(Date.UTC(2026, 9, 1, 4));
    expect(events[0]!.end_time).toBe(Date.UTC(2026, 10, 1, 4) - 1);
    expect(events[0]!.metadata).toMatchObject({
      version: OCSF_VERSION,
      product: { name: 's3-evidence', vendor_name: 's3-evidence', version: '0.1.0' },
      tenant_uid: 'acme',
      labels: ['incomplete'],
    });
    const uids = events.map((e) => e.finding_info.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids[0]).toBe('s3-evidence/acme/2026-10/s3-default-encryption-enabled/acme-prod-data');
    expect(complianceFindingLines(p)).toBe(complianceFindingLines(structuredClone(p)));
    expect(complianceFindingLines(p)).not.toMatch(/\/(tmp|home|Users|work)\//);
  });

  it('makes each event when it is asked for, never the whole list, and its lines are the lines of the file', () => {
    const p = packet();
    const events = complianceFindingEvents(p);
    const first = events.next().value!;
    expect(first.finding_info.uid).toBe('s3-evidence/acme/2026-10/s3-default-encryption-enabled/acme-prod-data');
    // The second control's first event is made only now: a reason changed after the first was taken shows in it.
    p.controls[1]!.resources[0]!.reason = 'changed after the first event was taken';
    events.next();
    expect(events.next().value!.compliance.status_detail).toBe('changed after the first event was taken');
    const pieces = [...complianceFindingLinePieces(packet())];
    expect(pieces).toHaveLength(complianceFindings(packet()).length);
    expect(pieces.every((line) => line.endsWith('}\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(pieces.join('')).toBe(complianceFindingLines(packet()));
  });

  it('a control that judged no resource still gives one event for itself', () => {
    const p = packet();
    p.controls[0] = { ...p.controls[0]!, resources: [] };
    const events = complianceFindings(p);
    const own = events.filter((e) => e.compliance.control === 's3-default-encryption-enabled');
    expect(own).toHaveLength(1);
    expect(own[0]!.finding_info.uid).toBe('s3-evidence/acme/2026-10/s3-default-encryption-enabled');
    expect(own[0]!.compliance.status).toBe('Warning'); // the control is NOT EVALUATED
    expect(own[0]!.resources).toEqual([]);
    expect(validateComplianceFinding(own[0])).toEqual([]);
  });

  it('takes the first finding of a control and resource for its severity, as the packet lists them', () => {
    const p = packet();
    const control = p.controls[1]!.id;
    const finding = (severity: 'high' | 'low', resource: string) => ({
      id: `${control}-${severity}`,
      severity,
      controlId: control,
      resource,
      text: 'unencrypted objects',
      evidence: [],
    });
    p.findings = [finding('low', 'acme-other'), finding('high', 'acme-prod-data'), finding('low', 'acme-prod-data')];
    const e = byUid(complianceFindings(p), `${control}/acme-prod-data`);
    expect([e.severity_id, e.severity]).toEqual([4, 'High']);
  });

  it('reads the buckets, keys and findings once, not once per verdict (10,000 buckets)', () => {
    const p = packet();
    const n = 10_000;
    const bucket = p.buckets[0]!;
    const names = Array.from({ length: n }, (_, i) => `bulk-${String(i).padStart(5, '0')}`);
    let reads = 0;
    // Counts every element read from the list (a scan per verdict would read n x n of them).
    const counted = <T>(items: T[]): T[] =>
      new Proxy(items, {
        get(target, prop, receiver) {
          if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
    p.buckets = counted(names.map((name) => ({ ...bucket, name })));
    p.keys = counted([...p.keys]);
    p.findings = counted(
      names.map((name) => ({
        id: `f-${name}`,
        severity: 'medium' as const,
        controlId: p.controls[0]!.id,
        resource: name,
        text: 'not encrypted',
        evidence: [],
      })),
    );
    p.controls = [
      {
        ...p.controls[0]!,
        resources: names.map((resource) => ({ resource, verdict: 'fail' as const, reason: 'none', evidence: [] })),
      },
    ];
    const events = complianceFindings(p);
    expect(events).toHaveLength(n);
    expect(events[n - 1]!.resources[0]!.uid).toBe(`arn:aws:s3:::${names[n - 1]}`);
    expect(events[n - 1]!.severity).toBe('Medium');
    expect(reads).toBeLessThanOrEqual(3 * n);
  });
});
