import type { PrincipalKind } from './log-scans.js';
import type { CloudTrailUserIdentity } from './cloudtrail-record.js';

/**
 * Who made a request, as one stable name per principal:
 *  - an assumed-role session is its role (sessionIssuer ARN, which keeps the role's path), never the session;
 *  - an IAM user, the root user and a federated user are their ARNs;
 *  - an AWS service acting on its own (userIdentity.type AWSService) is the service name, e.g. cloudtrail.amazonaws.com;
 *  - a principal of another account that CloudTrail shows only by account (type AWSAccount) is `account:<id>`.
 * When a service acted on a principal's behalf (invokedBy set, e.g. S3 calling KMS for an SSE-KMS
 * upload), the principal is the one it acted for and the service is reported in `via`.
 */
export interface ResolvedPrincipal {
  principal: string;
  kind: PrincipalKind;
  via?: string;
}

const ASSUMED_ROLE = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;

export function principalOf(identity: CloudTrailUserIdentity | undefined): ResolvedPrincipal {
  if (!identity) return { principal: 'unknown', kind: 'unknown' };
  if (identity.type === 'AWSService')
    return { principal: identity.invokedBy ?? 'unknown-aws-service', kind: 'aws_service' };
  const p = actingPrincipal(identity);
  // Built here rather than spread: this runs once per KMS record of a month's trail.
  return identity.invokedBy ? { principal: p.principal, kind: p.kind, via: identity.invokedBy } : p;
}

/** The principal of an identity that is not an AWS service acting on its own. */
function actingPrincipal(identity: CloudTrailUserIdentity): ResolvedPrincipal {
  switch (identity.type) {
    case 'AssumedRole': {
      const issuer = identity.sessionContext?.sessionIssuer?.arn;
      if (issuer) return { principal: issuer, kind: 'role' };
      return principalFromArn(identity.arn);
    }
    case 'IAMUser':
      return { principal: identity.arn ?? `user:${identity.userName ?? 'unknown'}`, kind: 'user' };
    case 'Root':
      return { principal: identity.arn ?? `arn:aws:iam::${identity.accountId ?? 'unknown'}:root`, kind: 'root' };
    case 'FederatedUser':
      return { principal: identity.sessionContext?.sessionIssuer?.arn ?? identity.arn ?? 'unknown', kind: 'federated' };
    case 'AWSAccount':
      return { principal: `account:${identity.accountId ?? 'unknown'}`, kind: 'aws_account' };
    default:
      return identity.arn ? principalFromArn(identity.arn) : { principal: 'unknown', kind: 'unknown' };
  }
}

/** Principal of an ARN as logged (CloudTrail userIdentity.arn, or the access log's Requester field). */
function principalFromArn(arn: string | null | undefined): ResolvedPrincipal {
  if (!arn) return { principal: 'unknown', kind: 'unknown' };
  const role = ASSUMED_ROLE.exec(arn);
  // The session ARN does not carry the role's path; a role with a path is named without it here.
  if (role) return { principal: `arn:${role[1]}:iam::${role[2]}:role/${role[3]}`, kind: 'role' };
  if (/^arn:[^:]+:iam::\d{12}:root$/.test(arn)) return { principal: arn, kind: 'root' };
  if (/^arn:[^:]+:iam::\d{12}:user\//.test(arn)) return { principal: arn, kind: 'user' };
  if (/^arn:[^:]+:iam::\d{12}:role\//.test(arn)) return { principal: arn, kind: 'role' };
  if (/^arn:[^:]+:sts::\d{12}:federated-user\//.test(arn)) return { principal: arn, kind: 'federated' };
  return { principal: arn, kind: 'unknown' };
}

/** The access log's Requester field: an IAM ARN, a canonical user ID, or null for anonymous requests. */
export function principalFromRequester(requester: string | null): ResolvedPrincipal {
  if (requester === null) return { principal: 'anonymous', kind: 'anonymous' };
  if (requester.startsWith('arn:')) return principalFromArn(requester);
  return { principal: `canonical:${requester}`, kind: 'unknown' };
}
