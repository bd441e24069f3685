import { describe, expect, it } from 'vitest';
import { principalFromRequester, principalOf } from '../../src/evidence/principal.js';

describe('principalOf', () => {
  it('names an assumed-role session by its role ARN (with path) and keeps the service that acted for it', () => {
    expect(
      principalOf({
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/app-writer/i-0abc',
        invokedBy: 's3.amazonaws.com',
        sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/apps/app-writer' } },
      }),
    ).toEqual({ principal: 'arn:aws:iam::111122223333:role/apps/app-writer', kind: 'role', via: 's3.amazonaws.com' });
  });

  it('names a service acting on its own by the service', () => {
    expect(principalOf({ type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' })).toEqual({
      principal: 'cloudtrail.amazonaws.com',
      kind: 'aws_service',
    });
  });

  it('falls back to the role in the session ARN, and names other-account callers by account', () => {
    expect(principalOf({ type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/etl/job-42' })).toEqual({
      principal: 'arn:aws:iam::111122223333:role/etl',
      kind: 'role',
    });
    expect(principalOf({ type: 'AWSAccount', accountId: '444455556666', principalId: 'AIDAX' })).toEqual({
      principal: 'account:444455556666',
      kind: 'aws_account',
    });
  });

  it('reads the access log Requester field', () => {
    expect(principalFromRequester(null)).toEqual({ principal: 'anonymous', kind: 'anonymous' });
    expect(principalFromRequester('arn:aws:iam::111122223333:user/batch-loader')).toEqual({
      principal: 'arn:aws:iam::111122223333:user/batch-loader',
      kind: 'user',
    });
    expect(principalFromRequester('79a59df9')).toEqual({ principal: 'canonical:79a59df9', kind: 'unknown' });
  });
});
