/** A KMS key as a bucket or config names it: key id, key ARN, alias name or alias ARN. */
export type KeyReference =
  | { kind: 'key'; keyId: string; account?: string; region?: string }
  | { kind: 'alias'; aliasName: string; account?: string; region?: string };

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

export function parseKeyReference(ref: string): KeyReference {
  let m = KEY_ARN.exec(ref);
  if (m) return { kind: 'key', region: m[1]!, account: m[2]!, keyId: m[3]! };
  m = ALIAS_ARN.exec(ref);
  if (m) return { kind: 'alias', region: m[1]!, account: m[2]!, aliasName: m[3]! };
  if (ref.startsWith('alias/')) return { kind: 'alias', aliasName: ref };
  return { kind: 'key', keyId: ref };
}
