import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalPolicy, diffStatements, policiesEquivalent } from '../../../src/analyze/drift/index.js';
import { editStatement, fixturePolicy } from './fixtures.js';

function changes(a: unknown, b: unknown) {
  const ca = canonicalPolicy(a);
  const cb = canonicalPolicy(b);
  if (!ca.ok || !cb.ok) throw new Error('fixture did not canonicalise');
  return diffStatements(ca.statements, cb.statements);
}

describe('canonical policy form', () => {
  const approved = fixturePolicy('bucket-policy-approved.json');

  it('treats the rewritten bucket policy (order, lists, {"AWS":"*"}, action and key case, no Version, no Sid, boolean false) as equal', () => {
    const rewritten = fixturePolicy('bucket-policy-rewritten.json');
    expect(policiesEquivalent(approved, rewritten)).toBe(true);
    expect(changes(approved, rewritten)).toEqual([]);
  });

  it('treats the rewritten key policy (bare account id for the root ARN, a dropped Sid, duplicated action) as equal', () => {
    const a = fixturePolicy('key-policy-approved.json');
    const b = fixturePolicy('key-policy-rewritten.json');
    expect(policiesEquivalent(a, b)).toBe(true);
    expect(changes(a, b)).toEqual([]);
  });

  it('treats a single Statement object like a one-element list, and {"AWS":["*","arn…"]} like "*"', () => {
    const statement = {
      Sid: 'S',
      Effect: 'Deny',
      Principal: { AWS: ['*', 'arn:aws:iam::111122223333:root'] },
      Action: 's3:*',
      Resource: '*',
    };
    expect(
      policiesEquivalent(
        { Statement: statement },
        { Version: '2012-10-17', Statement: [{ ...statement, Principal: '*' }] },
      ),
    ).toBe(true);
  });

  it('keeps meaning-bearing case: Effect "deny", an ARN in other case, an operator name in other case', () => {
    expect(
      policiesEquivalent(
        approved,
        editStatement(approved, 'DenyInsecureTransport', (s) => ({ ...s, Effect: 'deny' })),
      ),
    ).toBe(false);
    expect(
      policiesEquivalent(
        approved,
        editStatement(approved, 'DenyInsecureTransport', (s) => ({
          ...s,
          Resource: ['arn:aws:s3:::ACME-data', 'arn:aws:s3:::acme-data/*'],
        })),
      ),
    ).toBe(false);
    expect(
      policiesEquivalent(
        approved,
        editStatement(approved, 'DenyInsecureTransport', (s) => ({
          ...s,
          Condition: { bool: { 'aws:SecureTransport': 'false' } },
        })),
      ),
    ).toBe(false);
  });

  it('reports a Sid-matched statement whose Resource changed as changed, naming the field', () => {
    const narrowed = editStatement(approved, 'DenyInsecureTransport', (s) => ({
      ...s,
      Resource: 'arn:aws:s3:::acme-data/uploads/*',
    }));
    const diff = changes(approved, narrowed);
    expect(diff).toHaveLength(1);
    expect(diff[0]!.kind).toBe('changed');
    expect(diff[0]!.kind === 'changed' && diff[0]!.changedFields).toEqual(['Resource']);
  });

  it('reports a changed Sid-less statement as one removed and one added', () => {
    const a = {
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
    };
    const b = {
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/public/*' }],
    };
    expect(
      changes(a, b)
        .map((c) => c.kind)
        .sort(),
    ).toEqual(['added', 'removed']);
  });
});

describe('canonical form over the policy-analysis fixtures', () => {
  const dir = 'test/fixtures/policies';
  const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      try {
        const parsed = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { policy?: { Statement?: unknown } };
        const statements = parsed.policy?.Statement;
        return Array.isArray(statements) && statements.every((x) => typeof x === 'object' && x !== null)
          ? [{ f, policy: parsed.policy as { Statement: Array<Record<string, unknown>> } }]
          : [];
      } catch {
        return [];
      }
    });

  it('has fixtures to check', () => {
    expect(fixtures.length).toBeGreaterThan(30);
  });

  it('finds every fixture equal to itself reversed, with strings wrapped in lists and actions upper-cased', () => {
    const listify = (v: unknown) => (typeof v === 'string' ? [v] : v);
    for (const { f, policy } of fixtures) {
      const rewritten = {
        Statement: [...policy.Statement].reverse().map((s) => ({
          ...s,
          ...(s['Action'] !== undefined
            ? { Action: (listify(s['Action']) as string[]).map((a) => a.toUpperCase()) }
            : {}),
          ...(s['Resource'] !== undefined ? { Resource: listify(s['Resource']) } : {}),
        })),
      };
      expect(policiesEquivalent(policy, rewritten), f).toBe(true);
    }
  });
});
