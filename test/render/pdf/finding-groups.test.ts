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

  it('takes time linear in the findings of one rule: eight times the buckets cost about eight times as long', () => {
    // One rule failing on every bucket, as in a tenant whose buckets all lack a policy statement:
    // resources that share a long prefix, each twice (its finding and a duplicate).
    const onEveryBucket = (n: number) =>
      Array.from({ length: 2 * n }, (_, i) =>
        finding(`F-${i}`, 'medium', 'sse', `arn:aws:s3:::tenant-bucket-${String(i % n).padStart(6, '0')}`),
      );
    const small = onEveryBucket(2_500);
    const large = onEveryBucket(20_000);
    const fastest = [Infinity, Infinity];
    for (let round = 0; round < 3; round++)
      [small, large].forEach((findings, i) => {
        const started = performance.now();
        const groups = groupFindings(findings);
        fastest[i] = Math.min(fastest[i]!, performance.now() - started);
        expect(groups).toHaveLength(1);
        expect(groups[0]!.resources).toHaveLength(findings.length / 2);
      });
    // A lookup in the list of resources per finding made this 64x (some 5 s for the larger here).
    expect(fastest[1]! / Math.max(fastest[0]!, 0.5)).toBeLessThan(24);
    expect(groupFindings(large)[0]!.resources.slice(0, 2)).toEqual([
      'arn:aws:s3:::tenant-bucket-000000',
      'arn:aws:s3:::tenant-bucket-000001',
    ]);
  });

  it('no findings, no groups', () => {
    expect(groupFindings([])).toEqual([]);
  });
});
