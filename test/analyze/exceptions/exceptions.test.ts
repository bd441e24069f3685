import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyExceptions, ExceptionsFileError, parseExceptions } from '../../../src/analyze/exceptions/index.js';
import { loadExceptions } from '../../../src/pipeline/read-exceptions.js';
import type { ControlResult, KeyResult, ResourceVerdict } from '../../../src/model/packet.js';
import type { Verdict } from '../../../src/model/shared.js';

const DIR = 'test/fixtures/governance/exceptions';
const FILE = path.join(DIR, 'acme.yaml');
const KEY_ARN = 'arn:aws:kms:us-east-1:222222222222:key/7f4a1b2c-3d5e-4f60-8a9b-0c1d2e3f4a5b';
const AS_OF = '2026-11-01T03:00:00Z'; // 23:00 on 31 Oct in New York (EDT), 04:00 on 1 Nov in Berlin (CET)

function control(id: string, resources: Array<[string, Verdict]>): ControlResult {
  const counts: Record<Verdict, number> = { pass: 0, fail: 0, not_evaluated: 0, not_applicable: 0, exception: 0 };
  for (const [, v] of resources) counts[v]++;
  return {
    id,
    title: id,
    passes: '',
    verdict: counts.fail > 0 ? 'fail' : 'pass',
    summary: 'as evaluated',
    counts,
    resources: resources.map(([resource, verdict]): ResourceVerdict => ({
      resource,
      verdict,
      reason: `${verdict} reason`,
      evidence: [],
    })),
    references: [],
    remediation: '',
  };
}

const controls = [
  control('s3-objects-encrypted', [
    ['acme-app-data', 'fail'],
    ['acme-legacy-archive', 'fail'],
    ['acme-web-assets', 'pass'],
  ]),
  control('s3-policy-denies-unencrypted-uploads', [['acme-app-data', 'pass']]),
  control('s3-policy-denies-insecure-transport', [
    ['acme-app-data', 'pass'],
    ['acme-web-assets', 'fail'],
  ]),
  control('kms-customer-keys-rotate', [['alias/acme-app', 'fail']]),
];

const keys: KeyResult[] = [
  {
    reference: KEY_ARN,
    arn: KEY_ARN,
    alias: 'alias/acme-app',
    account: '222222222222',
    region: 'us-east-1',
    manager: 'CUSTOMER',
    rotation: { state: 'disabled' },
    readable: true,
    usedBy: ['acme-app-data'],
    evidence: [],
  },
];

const verdicts = (cs: ControlResult[]) =>
  Object.fromEntries(cs.map((c) => [c.id, [c.verdict, ...c.resources.map((r) => `${r.resource}:${r.verdict}`)]]));

describe('exceptions register: loading', () => {
  it('reads dates as written and keeps every entry, valid or not, in file order', async () => {
    const register = await loadExceptions(FILE, { tenant: 'acme' });
    expect(register.exists).toBe(true);
    expect(register.entries.map((e) => e.id)).toEqual([
      'EX-001',
      'EX-002',
      'EX-003',
      'EX-004',
      'EX-005',
      'EX-006',
      'EX-007',
    ]);
    expect(register.entries[0]!.entry).toEqual({
      id: 'EX-001',
      scope: { bucket: 'acme-legacy-archive' },
      control: 's3-objects-encrypted',
      reason: 'Legacy archive; re-encryption batch job scheduled',
      owner: 'jane.doe@acme.example',
      ticket: 'SEC-101',
      approvedBy: 'CISO',
      expires: '2026-10-31',
    });
  });

  it('rejects an unknown control id, naming the file and the field', async () => {
    const ex2 = (await loadExceptions(FILE)).entries[1]!;
    expect(ex2.entry).toBeUndefined();
    expect(ex2.problems).toEqual([
      `${FILE}: exceptions[1].control: unknown control id "s3-bucket-is-pink" (known: s3-default-encryption-enabled, s3-default-encryption-matches-expectation, s3-objects-encrypted, s3-policy-denies-unencrypted-uploads, s3-policy-denies-insecure-transport, s3-sse-c-uploads-blocked, s3express-default-encryption-matches-expectation, kms-customer-keys-rotate, s3tables-kms-key-allows-maintenance)`,
    ]);
  });

  it('rejects a date that is not YYYY-MM-DD, naming the field', async () => {
    expect((await loadExceptions(FILE)).entries[6]!.problems).toEqual([
      `${FILE}: exceptions[6].expires: must be a calendar date YYYY-MM-DD`,
    ]);
  });

  it('is an error naming the file when the file is not YAML or not a map with an exceptions list', async () => {
    await expect(loadExceptions(path.join(DIR, 'bad-yaml.yaml'))).rejects.toThrow(ExceptionsFileError);
    await expect(loadExceptions(path.join(DIR, 'bad-yaml.yaml'))).rejects.toThrow(
      new RegExp(`^${path.join(DIR, 'bad-yaml.yaml').replace(/[.]/g, '\\.')}: not valid YAML`),
    );
    await expect(loadExceptions(path.join(DIR, 'not-a-map.yaml'))).rejects.toThrow(
      `${path.join(DIR, 'not-a-map.yaml')}: (top level): `,
    );
  });

  it('refuses a register of another tenant', () => {
    expect(() => parseExceptions('tenant: globex\nexceptions: []\n', 'x.yaml', { tenant: 'acme' })).toThrow(
      'x.yaml: tenant: the register is of tenant "globex", not "acme"',
    );
  });

  it('a missing file is no register, and changes nothing', async () => {
    const register = await loadExceptions(path.join(DIR, 'nobody.yaml'));
    const applied = applyExceptions(controls, register, { asOf: AS_OF, timeZone: 'UTC' });
    expect(applied.section).toEqual({ state: 'no_register', file: path.join(DIR, 'nobody.yaml') });
    expect(applied.controls).toBe(controls);
    expect(applied.findings).toEqual([]);
  });
});

describe('exceptions applied around a time-zone boundary', () => {
  it('New York: 31 Oct still, so EX-001 (expires 2026-10-31) is active and turns the FAIL into EXCEPTION', async () => {
    const applied = applyExceptions(controls, await loadExceptions(FILE), {
      asOf: AS_OF,
      timeZone: 'America/New_York',
      keys,
    });
    expect(verdicts(applied.controls)).toEqual({
      's3-objects-encrypted': ['fail', 'acme-app-data:fail', 'acme-legacy-archive:exception', 'acme-web-assets:pass'],
      's3-policy-denies-unencrypted-uploads': ['pass', 'acme-app-data:pass'],
      's3-policy-denies-insecure-transport': ['fail', 'acme-app-data:pass', 'acme-web-assets:fail'],
      'kms-customer-keys-rotate': ['exception', 'alias/acme-app:exception'],
    });
    expect(applied.controls[0]!.counts).toEqual({
      pass: 1,
      fail: 1,
      not_evaluated: 0,
      not_applicable: 0,
      exception: 1,
    });
    expect(applied.controls[0]!.resources[1]!.reason).toBe(
      'fail reason — excepted by EX-001 (owner jane.doe@acme.example, ticket SEC-101, until 2026-10-31)',
    );
    if (applied.section.state !== 'evaluated') throw new Error(applied.section.state);
    expect(applied.section.entries.map((e) => [e.id, e.status, e.daysLeft, e.appliedTo])).toEqual([
      ['EX-001', 'expiring_soon', 0, ['acme-legacy-archive']],
      ['EX-002', 'invalid', 151, []],
      ['EX-003', 'invalid', 76, []],
      ['EX-004', 'expiring_soon', 30, ['alias/acme-app']],
      ['EX-005', 'unused', 31, []],
      ['EX-006', 'invalid', 242, []],
      ['EX-007', 'invalid', undefined, []],
    ]);
    expect(applied.section.counts).toEqual({ active: 0, expired: 0, expiring_soon: 2, unused: 1, invalid: 4 });
    expect(applied.section.expiringWithin30Days).toEqual(['EX-001', 'EX-004']);
  });

  it('Berlin: already 1 Nov, so EX-001 has expired, the FAIL stands and the expiry is a finding', async () => {
    const applied = applyExceptions(controls, await loadExceptions(FILE), {
      asOf: AS_OF,
      timeZone: 'Europe/Berlin',
      keys,
    });
    expect(verdicts(applied.controls)['s3-objects-encrypted']).toEqual([
      'fail',
      'acme-app-data:fail',
      'acme-legacy-archive:fail',
      'acme-web-assets:pass',
    ]);
    if (applied.section.state !== 'evaluated') throw new Error(applied.section.state);
    expect(applied.section.entries.map((e) => [e.id, e.status, e.daysLeft])).toEqual([
      ['EX-001', 'expired', -1],
      ['EX-002', 'invalid', 150],
      ['EX-003', 'invalid', 75],
      ['EX-004', 'expiring_soon', 29],
      ['EX-005', 'unused', 30],
      ['EX-006', 'invalid', 241],
      ['EX-007', 'invalid', undefined],
    ]);
    expect(applied.section.expiringWithin30Days).toEqual(['EX-004', 'EX-005']);
    expect(applied.findings[0]).toEqual({
      severity: 'high',
      controlId: 's3-objects-encrypted',
      resource: 'acme-legacy-archive',
      text: 'Exception EX-001 for s3-objects-encrypted on bucket acme-legacy-archive expired on 2026-10-31 (owner jane.doe@acme.example, ticket SEC-101); it no longer excuses anything.',
      evidence: [FILE],
    });
  });
});

describe('exceptions that excuse nothing', () => {
  it('an ownerless exception is a finding and leaves the FAIL', async () => {
    const applied = applyExceptions(controls, await loadExceptions(FILE), {
      asOf: AS_OF,
      timeZone: 'America/New_York',
      keys,
    });
    expect(verdicts(applied.controls)['s3-policy-denies-insecure-transport']).toEqual([
      'fail',
      'acme-app-data:pass',
      'acme-web-assets:fail',
    ]);
    expect(applied.findings.find((f) => f.resource === 'acme-web-assets')).toEqual({
      severity: 'medium',
      controlId: 's3-policy-denies-insecure-transport',
      resource: 'acme-web-assets',
      text: 'Exception EX-003 for s3-policy-denies-insecure-transport on bucket acme-web-assets has no owner, so it excuses nothing.',
      evidence: [FILE],
    });
  });

  it('an unknown control, a bucket scope on a key control and a bad date are findings too', async () => {
    const applied = applyExceptions(controls, await loadExceptions(FILE), {
      asOf: AS_OF,
      timeZone: 'America/New_York',
      keys,
    });
    expect(applied.findings.map((f) => [f.severity, f.controlId, f.resource])).toEqual([
      ['medium', 'exceptions-register', 'acme-legacy-archive'],
      ['medium', 's3-policy-denies-insecure-transport', 'acme-web-assets'],
      ['medium', 'kms-customer-keys-rotate', 'acme-app-data'],
      ['medium', 'exceptions-register', 'acme-app-data'],
    ]);
    expect(applied.findings[2]!.text).toBe(
      'Exception EX-006 for kms-customer-keys-rotate on bucket acme-app-data is invalid, so it excuses nothing: control kms-customer-keys-rotate judges keys, but the scope names a bucket.',
    );
  });

  it('a prefix scope cannot narrow a bucket-wide FAIL unless told the failure lies within the prefix', async () => {
    const register = await loadExceptions(FILE);
    const plain = applyExceptions(controls, register, { asOf: AS_OF, timeZone: 'UTC', keys });
    if (plain.section.state !== 'evaluated') throw new Error('not evaluated');
    expect(plain.section.entries[4]!.problems).toEqual([
      'covers prefix tmp/ only; the FAIL of acme-app-data is not shown to lie within it, so it stands',
    ]);
    expect(verdicts(plain.controls)['s3-objects-encrypted']![1]).toBe('acme-app-data:fail');

    const told = applyExceptions(controls, register, {
      asOf: AS_OF,
      timeZone: 'UTC',
      keys,
      failureWithinPrefix: (controlId, bucket, prefix) =>
        controlId === 's3-objects-encrypted' && bucket === 'acme-app-data' && prefix === 'tmp/',
    });
    expect(verdicts(told.controls)['s3-objects-encrypted']![1]).toBe('acme-app-data:exception');
  });

  it('re-words a changed control summary through the given function', async () => {
    const applied = applyExceptions(controls, await loadExceptions(FILE), {
      asOf: AS_OF,
      timeZone: 'America/New_York',
      keys,
      summarise: (c) => `${c.counts.pass} pass, ${c.counts.fail} fail, ${c.counts.exception} excepted`,
    });
    expect(applied.controls.map((c) => c.summary)).toEqual([
      '1 pass, 1 fail, 1 excepted',
      'as evaluated',
      'as evaluated',
      '0 pass, 0 fail, 1 excepted',
    ]);
  });
});
