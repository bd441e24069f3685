/**
 * The AWS Config section from hand-built evidence (fixture.ts). Expected figures worked out by hand:
 * 8 verdict pairs — agree: kms/data (NON_COMPLIANT, SSE-S3 is no KMS key), rot/alias/acme
 * (NON_COMPLIANT vs an excepted FAIL), sse/data (COMPLIANT vs pass); disagree: sse/logs
 * (NON_COMPLIANT vs pass), tls/data (COMPLIANT vs fail); not comparable: kms/logs (NOT_APPLICABLE),
 * tls/logs (no result); no control: tags/data.
 */
import { describe, expect, it } from 'vitest';
import { agreementOf, awsConfigSection, changedAttributes, records } from '../../../src/analyze/aws-config/index.js';
import { loadWording } from '../../../src/wording/wording.js';
import { A, B, BUCKETS, CLOUDTRAIL, CONTROLS, KEYS, PERIOD, TENANT, configEvidence } from './fixture.js';

const wording = loadWording();
const run = (config = configEvidence()) =>
  awsConfigSection({
    config,
    tenant: TENANT,
    period: PERIOD,
    buckets: BUCKETS,
    keys: KEYS,
    controls: CONTROLS,
    cloudTrail: CLOUDTRAIL,
    wording,
  });
const collected = () => {
  const s = run().section;
  if (s.state !== 'collected') throw new Error('expected collected');
  return s;
};

describe('agreementOf', () => {
  it('agree / disagree only when both sides judged; an excepted FAIL is a FAIL', () => {
    expect(agreementOf('COMPLIANT', 'pass')).toBe('agree');
    expect(agreementOf('NON_COMPLIANT', 'exception')).toBe('agree');
    expect(agreementOf('COMPLIANT', 'fail')).toBe('disagree');
    expect(agreementOf('NON_COMPLIANT', 'pass')).toBe('disagree');
    expect(agreementOf('INSUFFICIENT_DATA', 'fail')).toBe('not_comparable');
    expect(agreementOf('COMPLIANT', 'not_evaluated')).toBe('not_comparable');
    expect(agreementOf('NO_RESULT', 'pass')).toBe('not_comparable');
    expect(agreementOf('NON_COMPLIANT', null)).toBe('no_control');
  });
});

describe('awsConfigSection', () => {
  it('recorders: recording (but not keys), stopped, not collected — one sentence each', () => {
    expect(
      collected().recorders.map((r) => [r.account, r.region, r.state, r.recordsBuckets, r.recordsKeys, r.text]),
    ).toEqual([
      [A, 'eu-west-1', 'recording', true, false, `AWS Config is recording in ${A}/eu-west-1, but not KMS keys`],
      [
        A,
        'us-east-1',
        'not_recording',
        true,
        true,
        `AWS Config is not recording in ${A}/us-east-1 (recorder default is stopped)`,
      ],
      [
        B,
        'eu-west-1',
        'not_collected',
        null,
        null,
        `AWS Config not collected for ${B}/eu-west-1: the offline export /exports/b has no configservice/ folder`,
      ],
    ]);
  });

  it('rules × resources: AWS beside ours, with the hand-computed agreement', () => {
    const rows = collected().rules.map((r) => [
      r.name,
      r.identifier?.startsWith('arn:') ? 'custom' : r.identifier,
      r.controlId,
      r.state,
      r.outOfScope,
      r.resources.map((x) => [x.resource, x.aws, x.ours, x.agreement]),
    ]);
    expect(rows).toEqual([
      [
        'kms',
        'S3_DEFAULT_ENCRYPTION_KMS',
        's3-default-encryption-matches-expectation',
        'evaluated',
        0,
        [
          ['data', 'NON_COMPLIANT', 'fail', 'agree'],
          ['logs', 'NOT_APPLICABLE', 'pass', 'not_comparable'],
        ],
      ],
      [
        'rot',
        'CMK_BACKING_KEY_ROTATION_ENABLED',
        'kms-customer-keys-rotate',
        'evaluated',
        0,
        [['alias/acme', 'NON_COMPLIANT', 'exception', 'agree']],
      ],
      [
        'sse',
        'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED',
        's3-default-encryption-enabled',
        'evaluated',
        1,
        [
          ['data', 'COMPLIANT', 'pass', 'agree'],
          ['logs', 'NON_COMPLIANT', 'pass', 'disagree'],
        ],
      ],
      ['tags', 'custom', null, 'evaluated', 0, [['data', 'NON_COMPLIANT', null, 'no_control']]],
      [
        'tls',
        'S3_BUCKET_SSL_REQUESTS_ONLY',
        's3-policy-denies-insecure-transport',
        'evaluated',
        0,
        [
          ['data', 'COMPLIANT', 'fail', 'disagree'],
          ['logs', 'NO_RESULT', 'pass', 'not_comparable'],
        ],
      ],
      ['missing-rule', null, null, 'not_found', 0, []],
    ]);
    expect(collected().rules.at(-1)!.reason).toBe(
      `rule missing-rule, named in the tenant config, exists in no region read of account ${A} (eu-west-1, us-east-1)`,
    );
  });

  it('counts', () => {
    expect(collected().counts).toEqual({
      rules: 5,
      evaluations: 8,
      agree: 3,
      disagree: 2,
      notComparable: 2,
      changes: 3,
      notRecording: 1,
    });
  });

  it('each disagreement is a medium finding with a one-sentence explanation (naming a change after AWS evaluated)', () => {
    expect(run().findings).toEqual([
      {
        severity: 'medium',
        controlId: 'aws-config',
        resource: 'logs',
        text: `logs: AWS Config rule sse (${A}/eu-west-1) says NON_COMPLIANT as of 2026-10-10 00:00 UTC, but Default encryption enabled passes: default encryption SSE-KMS (aws:kms); the resource changed after AWS's evaluation, at 2026-10-12 08:00 UTC`,
        evidence: expect.any(Array),
      },
      {
        severity: 'medium',
        controlId: 'aws-config',
        resource: 'data',
        text: `data: AWS Config rule tls (${A}/eu-west-1) says COMPLIANT, but Plain HTTP denied fails: no statement denies plain HTTP`,
        evidence: expect.any(Array),
      },
    ]);
  });

  it('history: changes in the period against the state before it, authors from CloudTrail event ids', () => {
    expect(
      collected().history.map((h) => [
        h.resourceType,
        h.resource,
        h.state,
        h.reason,
        h.changes.map((c) => [c.time, c.changed, c.summary, c.author, c.authorEvent]),
      ]),
    ).toEqual([
      [
        'AWS::KMS::Key',
        'alias/acme',
        'read',
        undefined,
        [
          [
            '2026-10-15T08:00:00Z',
            [],
            'first configuration item in the period; no earlier item to compare',
            `arn:aws:iam::${A}:role/admin`,
            'PutKeyPolicy',
          ],
        ],
      ],
      [
        'AWS::S3::Bucket',
        'data',
        'not_recorded',
        'AWS Config has no record of this resource (ResourceNotDiscoveredException)',
        [],
      ],
      [
        'AWS::S3::Bucket',
        'logs',
        'read',
        undefined,
        [
          // p1 -> p2 against the item of 28 September; then the same documents with keys re-ordered: no difference.
          ['2026-10-12T08:00:00Z', ['policy'], 'policy changed', 'unknown', undefined],
          ['2026-10-20T00:00:00Z', [], 'recorded again with no configuration difference', 'unknown', undefined],
        ],
      ],
    ]);
  });

  it('missing evidence: the refused rules call only; "not recording" and "not recorded" are states', () => {
    expect(run().missing).toEqual([
      {
        scope: `AWS Config ${A}/us-east-1`,
        source: 'config:DescribeConfigRules',
        reason: 'AccessDeniedException: denied',
      },
    ]);
  });

  it('not collected when no account has Config evidence, or when the packet predates it', () => {
    const ev = configEvidence();
    ev.accounts = [ev.accounts[1]!];
    expect(run(ev).section).toEqual({
      state: 'not_collected',
      reason: `no AWS Config evidence (account ${B}: the offline export /exports/b has no configservice/ folder)`,
    });
    expect(
      awsConfigSection({
        config: null,
        tenant: TENANT,
        period: PERIOD,
        buckets: [],
        keys: [],
        controls: [],
        cloudTrail: null,
        wording,
      }).section,
    ).toEqual({ state: 'not_collected', reason: 'not part of this version yet' });
  });
});

describe('recording groups and attribute changes', () => {
  it('records: all supported, listed types, exclusions', () => {
    expect(records(undefined, 'AWS::KMS::Key')).toBe(true);
    expect(records({ allSupported: false, resourceTypes: ['AWS::S3::Bucket'] }, 'AWS::KMS::Key')).toBe(false);
    expect(
      records(
        {
          allSupported: false,
          recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
          exclusionByResourceTypes: { resourceTypes: ['AWS::KMS::Key'] },
        },
        'AWS::KMS::Key',
      ),
    ).toBe(false);
    expect(
      records(
        {
          allSupported: false,
          recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
          exclusionByResourceTypes: { resourceTypes: ['AWS::KMS::Key'] },
        },
        'AWS::S3::Bucket',
      ),
    ).toBe(true);
  });

  it('changedAttributes labels encryption, public access block, rotation and key state; equal JSON in another order is no change', () => {
    const before = {
      configuration: '{"keyState":"Enabled","keyRotationEnabled":true}',
      supplementaryConfiguration: {
        PublicAccessBlockConfiguration: '{"blockPublicAcls":true}',
        ServerSideEncryptionConfiguration: '{"a":1,"b":2}',
      },
    };
    const after = {
      configuration: '{"keyRotationEnabled":false,"keyState":"Disabled"}',
      supplementaryConfiguration: {
        PublicAccessBlockConfiguration: '{"blockPublicAcls":false}',
        ServerSideEncryptionConfiguration: '{"b":2,"a":1}',
      },
    };
    expect(changedAttributes(before, after)).toEqual(['key state', 'public access block', 'rotation']);
  });

  it('changedAttributes compares a document that names a key twice as its text: a change to the hidden value shows', () => {
    const item = (sse: string) => ({
      configuration: '{"name":"b"}',
      supplementaryConfiguration: { ServerSideEncryptionConfiguration: sse },
    });
    // JSON.parse reads both as {"rules":"aws:kms"}; the first value differs.
    const before = item('{"rules":"AES256","rules":"aws:kms"}');
    const after = item('{"rules":"none","rules":"aws:kms"}');
    expect(changedAttributes(before, after)).toEqual(['encryption']);
    expect(changedAttributes(before, item('{"rules":"AES256","rules":"aws:kms"}'))).toEqual([]);
  });
});
