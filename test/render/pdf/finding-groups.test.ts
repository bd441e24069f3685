import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/packet.js';
import { groupFindings } from '../../../src/render/pdf/finding-groups.js';

const finding = (id: string, severity: Finding['severity'], controlId: string, resource: string): Finding => ({
  id,
  severity,
  controlId,
  resource,
  text: `${resource}: ${controlId}`,
  evidence: [],
});

describe('groupFindings', () => {
  it('five findings of one rule make one group that counts them (not five rows repeating the rule)', () => {
    const findings = ['a', 'b', 'c', 'd', 'e'].map((b, i) => finding(`F-${i}`, 'high', 'tls', `bucket-${b}`));
    const groups = groupFindings(findings);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ rule: 'tls', severity: 'high' });
    expect(groups[0]!.findings.map((f) => f.id)).toEqual(['F-0', 'F-1', 'F-2', 'F-3', 'F-4']);
    expect(groups[0]!.resources).toEqual(['bucket-a', 'bucket-b', 'bucket-c', 'bucket-d', 'bucket-e']);
  });

  it('orders by severity, then by how many findings a rule holds, then packet order', () => {
    const groups = groupFindings([
      finding('1', 'medium', 'sse', 'x'),
      finding('2', 'low', 'log', 'x'),
      finding('3', 'high', 'tls', 'x'),
      finding('4', 'medium', 'rot', 'k1'),
      finding('5', 'medium', 'rot', 'k2'),
      finding('6', 'critical', 'drift', 'x'),
      finding('7', 'medium', 'sse-c', 'y'),
    ]);
    expect(groups.map((g) => `${g.severity}:${g.rule}:${g.findings.length}`)).toEqual([
      'critical:drift:1',
      'high:tls:1',
      'medium:rot:2',
      'medium:sse:1',
      'medium:sse-c:1',
      'low:log:1',
    ]);
  });

  it('one rule at two severities makes two groups; a resource named twice is listed once', () => {
    const groups = groupFindings([
      finding('1', 'high', 'tls', 'web'),
      finding('2', 'info', 'tls', 'app'),
      finding('3', 'high', 'tls', 'web'),
    ]);
    expect(groups.map((g) => [g.severity, g.findings.length, g.resources])).toEqual([
      ['high', 2, ['web']],
      ['info', 1, ['app']],
    ]);
  });

  it('takes time linear in the findings of one rule: sixteen times the buckets cost about sixteen times as long', () => {
    // One rule failing on every bucket, as in a tenant whose buckets all lack a policy statement:
    // resources that share a long prefix, each twice (its finding and a duplicate).
    const onEveryBucket = (n: number) =>
      Array.from({ length: 2 * n }, (_, i) =>
        finding(`F-${i}`, 'medium', 'sse', `arn:aws:s3:::tenant-bucket-${String(i % n).padStart(6, '0')}`),
      );
    const small = onEveryBucket(1_250);
    const large = onEveryBucket(20_000);
    const fastest = [Infinity, Infinity];
    for (let round = 0; round < 5; round++)
      [small, large].forEach((findings, i) => {
        const started = performance.now();
        const groups = groupFindings(findings);
        fastest[i] = Math.min(fastest[i]!, performance.now() - started);
        expect(groups).toHaveLength(1);
        expect(groups[0]!.resources).toHaveLength(findings.length / 2);
      });
    // Quadratic is 256x: a lookup in the list of resources per finding made it so (some 5 s for the
    // larger here). Linear is 16x only in theory: the larger set outgrows the caches and meets garbage
    // collections the smaller does not, 38-51x measured on 2 idle cores (24.6x at 8x the buckets on a
    // loaded CI machine broke the old bound of 24). 128 sits between the two with room both sides.
    expect(fastest[1]! / Math.max(fastest[0]!, 0.25)).toBeLessThan(128);
    expect(groupFindings(large)[0]!.resources.slice(0, 2)).toEqual([
      'arn:aws:s3:::tenant-bucket-000000',
      'arn:aws:s3:::tenant-bucket-000001',
    ]);
  });

  it('no findings, no groups', () => {
    expect(groupFindings([])).toEqual([]);
  });
});
