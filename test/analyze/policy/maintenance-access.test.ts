import { describe, expect, it } from 'vitest';
import { maintenanceAccess } from '../../../src/analyze/policy/maintenance-access.js';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const request = { keyArn: KEY, account: ACCOUNT, tableBucketArn: `arn:aws:s3tables:eu-west-1:${ACCOUNT}:bucket/lake` };
const ROOT = {
  Sid: 'Root',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: [ROOT, ...statements] });
const maintenance = (over: object = {}) => ({
  Sid: 'Maintenance',
  Effect: 'Allow',
  Principal: { Service: 'maintenance.s3tables.amazonaws.com' },
  Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
  Resource: '*',
  ...over,
});

describe('S3 Tables maintenance access to a key', () => {
  it('allowed: the service principal gets both actions', () => {
    expect(maintenanceAccess(policy(maintenance()), request)).toEqual({
      state: 'allowed',
      statements: ['Maintenance'],
    });
  });

  it('allowed: scoped to the table bucket account with aws:SourceAccount', () => {
    const p = policy(maintenance({ Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } }));
    expect(maintenanceAccess(p, request).state).toBe('allowed');
  });

  it('allowed: kms:* and a Service list that names the principal among others', () => {
    const p = policy(
      maintenance({
        Principal: { Service: ['logs.amazonaws.com', 'maintenance.s3tables.amazonaws.com'] },
        Action: 'kms:*',
      }),
    );
    expect(maintenanceAccess(p, request)).toEqual({ state: 'allowed', statements: ['Maintenance'] });
  });

  it('not allowed: the account root statement does not reach a service principal', () => {
    expect(maintenanceAccess(policy(), request)).toEqual({
      state: 'not_allowed',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    });
  });

  it('not allowed: Decrypt only', () => {
    expect(maintenanceAccess(policy(maintenance({ Action: 'kms:Decrypt' })), request)).toEqual({
      state: 'not_allowed',
      actions: ['kms:GenerateDataKey'],
    });
  });

  it('not allowed: scoped to another account', () => {
    const p = policy(maintenance({ Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } }));
    expect(maintenanceAccess(p, request).state).toBe('not_allowed');
  });

  it('denied: an explicit deny for everyone wins over the allow', () => {
    const deny = { Sid: 'NoDecrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };
    expect(maintenanceAccess(policy(maintenance(), deny), request)).toEqual({
      state: 'denied',
      statement: 'NoDecrypt',
      action: 'kms:Decrypt',
    });
  });

  it('a deny that NotPrincipal exempts the maintenance principal from does not deny it', () => {
    const deny = {
      Sid: 'OnlyUs',
      Effect: 'Deny',
      NotPrincipal: { Service: 'maintenance.s3tables.amazonaws.com' },
      Action: 'kms:*',
      Resource: '*',
    };
    expect(maintenanceAccess(policy(maintenance(), deny), request).state).toBe('allowed');
  });

  it('unknown: an allow under a condition on a key the request is not known to carry', () => {
    const p = policy(
      maintenance({ Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3tables:*' } } }),
    );
    expect(maintenanceAccess(p, request)).toEqual({
      state: 'unknown',
      reason:
        'statement Maintenance allows kms:GenerateDataKey under condition kms:EncryptionContext:aws:s3:arn, which this analysis cannot decide',
    });
  });

  it('unknown: a policy that names a key twice in one statement (Deny, then Allow) has no single reading', () => {
    const p = policy(maintenance({ Effect: 'Deny' })).replace('"Effect":"Deny"', '"Effect":"Deny","Effect":"Allow"');
    expect(maintenanceAccess(p, request)).toEqual({
      state: 'unknown',
      reason: 'the key policy names "Effect" twice in Statement[1] (JSON readers differ on which of the two counts)',
    });
  });

  it('unknown: a policy that is not JSON', () => {
    expect(maintenanceAccess('{"Statement": [', request).state).toBe('unknown');
  });
});
