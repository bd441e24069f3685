/** Setting up credentials: what happens when the caller's own credentials or the configuration are wrong. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleSessionName } from '../../../src/collect/live/credentials.js';
import { liveSources } from '../../../src/collect/live/index.js';
import { tenant, testOptions } from '../../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws } from '../../support/fake-aws/index.js';

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: '999900000000', arn: 'arn:aws:iam::999900000000:user/auditor' },
    accounts: [{ id: '111111111111', buckets: [] }],
  });
});
afterAll(() => fake.close());

describe('liveSources', () => {
  it("an account without a role that is not the caller's is a problem, never read with the wrong credentials", async () => {
    const setup = await liveSources(tenant({ id: 't', accounts: [{ id: '111111111111' }] }), testOptions(fake));
    setup.close();
    expect(setup.sources).toEqual([]);
    expect(setup.problems).toEqual([
      {
        account: '111111111111',
        message:
          'no roleArn configured, and the caller (arn:aws:iam::999900000000:user/auditor) is in account 999900000000, not 111111111111',
      },
    ]);
    expect(setup.identity).toEqual({
      arn: 'arn:aws:iam::999900000000:user/auditor',
      account: '999900000000',
      note: 'no account could be read',
    });
  });

  it('credentials that do not work make every account a problem, with the AWS error', async () => {
    const setup = await liveSources(
      tenant({ id: 't', accounts: [{ id: '111111111111', roleArn: 'arn:aws:iam::111111111111:role/R' }] }),
      testOptions(fake, { credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } }),
    );
    setup.close();
    expect(setup.sources).toEqual([]);
    expect(setup.problems).toHaveLength(1);
    expect(setup.problems[0]!.message).toMatch(
      /^the caller's credentials do not work \(sts:GetCallerIdentity failed: InvalidClientTokenId \(HTTP 403\): .*\[request id FAKESTS\d+\]\)$/,
    );
    expect(setup.identity.note).toBe(setup.problems[0]!.message);
  });
});

describe('STS answers of the wrong shape are unreadable evidence, named with the operation and field', () => {
  const misshapen = (operation: string) =>
    startFakeAws({
      caller: { accessKeyId: 'AKIDCALLER', account: '999900000000', arn: 'arn:aws:iam::999900000000:user/auditor' },
      accounts: [{ id: '111111111111', role: { name: 'R' }, buckets: [] }],
      faults: [{ service: 'sts', operation, action: { kind: 'wrong-shape' } }],
    });
  const t = tenant({ id: 't', accounts: [{ id: '111111111111', roleArn: 'arn:aws:iam::111111111111:role/R' }] });

  it('GetCallerIdentity', async () => {
    const wrong = await misshapen('GetCallerIdentity');
    try {
      const setup = await liveSources(t, testOptions(wrong));
      setup.close();
      expect(setup.sources).toEqual([]);
      expect(setup.problems.map((p) => p.message)).toEqual([
        expect.stringMatching(
          /^the caller's credentials do not work \(sts:GetCallerIdentity failed: UnreadableEvidence \(HTTP 200\): sts:GetCallerIdentity answer does not have the documented shape: Account: expected string, got nothing; Arn: expected string, got nothing \[request id FAKESTS\d+\]\)$/,
        ),
      ]);
    } finally {
      await wrong.close();
    }
  });

  it('AssumeRole', async () => {
    const wrong = await misshapen('AssumeRole');
    try {
      const setup = await liveSources(t, testOptions(wrong));
      setup.close();
      expect(setup.sources).toEqual([]);
      expect(setup.problems.map((p) => p.message)).toEqual([
        expect.stringMatching(
          /^cannot assume arn:aws:iam::111111111111:role\/R: UnreadableEvidence \(HTTP 200\): sts:AssumeRole answer does not have the documented shape: Credentials: expected object, got nothing/,
        ),
      ]);
    } finally {
      await wrong.close();
    }
  });
});

describe('roleSessionName', () => {
  it('names the tool, tenant and run within 64 allowed characters', () => {
    expect(roleSessionName('acme', '20261102T080000Z')).toBe('s3-evidence-acme-20261102T080000Z');
    expect(roleSessionName('acme', 'run 1/2')).toBe('s3-evidence-acme-run-1-2');
    expect(roleSessionName('a'.repeat(60), 'r')).toHaveLength(64);
  });
});
