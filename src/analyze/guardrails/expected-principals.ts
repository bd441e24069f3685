import picomatch from 'picomatch';

/**
 * Which principals may use a key: `tenant` applies to every key, `perKey` adds to it for one key
 * ARN. Entries are principal names as key usage reports them, with globs (picomatch: `*` stops at
 * `/`, `**` crosses it):
 *   arn:aws:iam::111122223333:role/app-*   roles (by role ARN, never the session)
 *   arn:aws:iam::111122223333:user/ci      users
 *   s3.amazonaws.com                       an AWS service acting on its own (userIdentity.type AWSService)
 *   account:444455556666                   a principal CloudTrail shows only by its account
 * An AWS service acting for a principal (S3 calling KMS for an SSE-KMS upload by a role) is judged
 * as that principal: listing the role is enough, listing s3.amazonaws.com does not cover it.
 */
export interface ExpectedPrincipals {
  tenant: string[];
  perKey: Record<string, string[]>;
}

export type PrincipalExpectation =
  { configured: false } | { configured: true; matches: (principal: string) => boolean };

export function expectationFor(expected: ExpectedPrincipals | undefined, keyArn: string): PrincipalExpectation {
  const patterns = [...(expected?.tenant ?? []), ...(expected?.perKey[keyArn] ?? [])];
  if (patterns.length === 0) return { configured: false };
  const matchers = patterns.map((p) => picomatch(p, { dot: true }));
  const cache = new Map<string, boolean>();
  return {
    configured: true,
    matches: (principal: string) => {
      let hit = cache.get(principal);
      if (hit === undefined) cache.set(principal, (hit = matchers.some((m) => m(principal))));
      return hit;
    },
  };
}
