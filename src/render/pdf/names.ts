/** Short names for the page: principals and keys as a reader recognises them. Full ARNs stay in the workbook. */

const IAM_ARN = /^arn:[^:]+:iam::(\d{12}):(.+)$/;
const STS_ARN = /^arn:[^:]+:sts::(\d{12}):(.+)$/;
const KMS_KEY_ARN = /^arn:[^:]+:kms:[^:]*:(\d{12}):(key\/.+)$/;

/**
 * `arn:aws:iam::222222222222:user/contractor-jdoe` -> `user/contractor-jdoe`. A principal of an
 * account outside the tenant keeps its account (`444455556666:role/x`): a foreign account using a
 * key is the point. Service names and other values pass through.
 */
export function shortPrincipal(principal: string, ownAccounts: ReadonlySet<string>): string {
  const m = IAM_ARN.exec(principal) ?? STS_ARN.exec(principal);
  if (m?.[1] && m[2]) return ownAccounts.has(m[1]) ? m[2] : `${m[1]}:${m[2]}`;
  if (principal.startsWith('account:')) return `account ${principal.slice('account:'.length)}`;
  return principal;
}

/** A key by its alias when the packet knows one, else `key/<id>` (with the account when foreign). */
export function shortKey(
  keyArn: string,
  aliases: ReadonlyMap<string, string>,
  ownAccounts: ReadonlySet<string>,
): string {
  const alias = aliases.get(keyArn);
  if (alias) return alias;
  const m = KMS_KEY_ARN.exec(keyArn);
  if (m?.[1] && m[2]) return ownAccounts.has(m[1]) ? m[2] : `${m[1]}:${m[2]}`;
  return keyArn;
}
