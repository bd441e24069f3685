import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeBucketPolicy } from '../../../src/analyze/policy/index.js';
import type { Enforcement } from '../../../src/model/packet.js';

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/policies');
const BUCKET = 'example-bucket';

interface ExpectedEnforcement {
  level: 'yes' | 'partial' | 'no' | 'unknown';
  statements: string[];
  reasonIncludes?: string[];
  /** null: the field must be absent. */
  allowedValues?: string[] | 'any';
  requiredKmsKeys?: string[] | null;
  minimumTlsVersion?: string | null;
}

interface PolicyFixture {
  file: string;
  name: string;
  policy?: unknown;
  policyText?: string;
  sse?: ExpectedEnforcement;
  tls?: ExpectedEnforcement;
  unparsable?: string;
}

const fixtures: PolicyFixture[] = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({
    file,
    ...(JSON.parse(readFileSync(path.join(fixturesDir, file), 'utf8')) as Omit<PolicyFixture, 'file'>),
  }));

function policyTextOf(fixture: PolicyFixture): string {
  return fixture.policyText ?? JSON.stringify(fixture.policy, null, 2);
}

function expectOptional(actual: unknown, expected: unknown): void {
  if (expected === undefined) return;
  if (expected === null) expect(actual).toBeUndefined();
  else expect(actual).toEqual(expected);
}

type AnyEnforcement = Enforcement & {
  allowedValues?: string[] | 'any';
  requiredKmsKeys?: string[];
  minimumTlsVersion?: string;
};

function checkEnforcement(actual: AnyEnforcement, expected: ExpectedEnforcement): void {
  expect(actual.level).toBe(expected.level);
  expect(actual.statements).toEqual(expected.statements);
  for (const fragment of expected.reasonIncludes ?? []) expect(actual.reason).toContain(fragment);
  // One sentence that names a statement whenever statements decided it.
  expect(actual.reason).toMatch(/^[A-Z].*\.$/s);
  if (expected.statements.length > 0) {
    expect(expected.statements.some((s) => actual.reason.includes(`"${s}"`))).toBe(true);
  }
  expectOptional(actual.allowedValues, expected.allowedValues);
  expectOptional(actual.requiredKmsKeys, expected.requiredKmsKeys);
  expectOptional(actual.minimumTlsVersion, expected.minimumTlsVersion);
}

describe('policy fixtures', () => {
  it('has at least 30 fixtures, at least half of them traps', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    const traps = fixtures.filter((f) => f.name.startsWith('trap:'));
    expect(traps.length * 2).toBeGreaterThanOrEqual(fixtures.length);
  });

  it('every fixture states what it expects', () => {
    for (const f of fixtures) {
      expect(f.unparsable !== undefined || (f.sse !== undefined && f.tls !== undefined), f.file).toBe(true);
    }
  });
});

describe('analyzeBucketPolicy', () => {
  for (const fixture of fixtures) {
    it(`${fixture.name} (${fixture.file})`, () => {
      const result = analyzeBucketPolicy(policyTextOf(fixture), BUCKET);
      if (fixture.unparsable !== undefined) {
        expect(result.state).toBe('unparsable');
        if (result.state === 'unparsable') expect(result.error).toContain(fixture.unparsable);
        return;
      }
      expect(result.state).toBe('parsed');
      if (result.state !== 'parsed') return;
      if (fixture.sse) checkEnforcement(result.sse, fixture.sse);
      if (fixture.tls) checkEnforcement(result.tls, fixture.tls);
    });
  }

  it('a trap never counts as yes for the part it targets', () => {
    for (const f of fixtures.filter((x) => x.name.startsWith('trap:'))) {
      const levels = [f.sse?.level, f.tls?.level];
      expect(levels.includes('partial') || levels.includes('no') || levels.includes('unknown'), f.file).toBe(true);
    }
  });

  it('reads the same verdict for another bucket name only when resources name that bucket', () => {
    const policy = readFileSync(path.join(fixturesDir, 'ok-classic-kms-pair.json'), 'utf8');
    const text = JSON.stringify((JSON.parse(policy) as { policy: unknown }).policy);
    const other = analyzeBucketPolicy(text, 'example-bucket-other');
    expect(other.state).toBe('parsed');
    if (other.state !== 'parsed') return;
    expect(other.sse.level).toBe('no');
    expect(other.tls.level).toBe('no');
    expect(other.sse.reason).toBe(
      'Statement "DenyIncorrectEncryptionHeader" applies to arn:aws:s3:::example-bucket/*, not to the objects of example-bucket-other, so uploads without the x-amz-server-side-encryption header are not denied.',
    );
  });

  it('writes the full reason sentences for the classic pair', () => {
    const policy = JSON.parse(readFileSync(path.join(fixturesDir, 'ok-classic-kms-pair.json'), 'utf8')) as {
      policy: unknown;
    };
    const result = analyzeBucketPolicy(JSON.stringify(policy.policy), BUCKET);
    expect(result).toEqual({
      state: 'parsed',
      sse: {
        level: 'yes',
        reason:
          'Statements "DenyIncorrectEncryptionHeader" and "DenyUnEncryptedObjectUploads" deny every upload to example-bucket that lacks the x-amz-server-side-encryption header, so only aws:kms uploads pass.',
        statements: ['DenyIncorrectEncryptionHeader', 'DenyUnEncryptedObjectUploads'],
        allowedValues: ['aws:kms'],
      },
      tls: {
        level: 'yes',
        reason:
          'Statement "DenyInsecureTransport" denies every S3 action on example-bucket and its objects to everyone when aws:SecureTransport is false, so plain-HTTP requests are refused.',
        statements: ['DenyInsecureTransport'],
      },
    });
  });

  it('writes the partial reason for a prefix-limited TLS deny', () => {
    const policy = JSON.parse(readFileSync(path.join(fixturesDir, 'trap-tls-prefix-only.json'), 'utf8')) as {
      policy: unknown;
    };
    const result = analyzeBucketPolicy(JSON.stringify(policy.policy), BUCKET);
    expect(result.state === 'parsed' && result.tls.reason).toBe(
      'Statement "DenyInsecureTransport" denies plain-HTTP requests only for the bucket and objects matching arn:aws:s3:::example-bucket/logs/*.',
    );
  });

  it('reports a policy without any relevant statement as no/no with no statements', () => {
    const result = analyzeBucketPolicy(
      JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::example-bucket/*',
          },
        ],
      }),
      BUCKET,
    );
    expect(result).toEqual({
      state: 'parsed',
      sse: {
        level: 'no',
        reason: 'No statement in the bucket policy denies uploads that lack the x-amz-server-side-encryption header.',
        statements: [],
        allowedValues: 'any',
      },
      tls: {
        level: 'no',
        reason: 'No statement in the bucket policy denies requests made over plain HTTP (aws:SecureTransport false).',
        statements: [],
      },
    });
  });
});
