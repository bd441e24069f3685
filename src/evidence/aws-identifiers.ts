/**
 * AWS's documented formats for the identifiers that evidence carries and the tool turns into file
 * and folder names. Anything else is unreadable evidence, never a path: a KMS key id of
 * `key/../../outside` in a bucket's encryption must not make the tool read outside its export.
 */

// Bucket naming rules (S3 User Guide): 3–63 characters of a-z, 0-9, '.', '-', starting and ending
// with a letter or digit, no two adjacent periods. Directory buckets (…--zone-id--x-s3) fit this too.
const BUCKET = /^[a-z0-9](?:[a-z0-9.-]{1,61})[a-z0-9]$/;
// Buckets created in us-east-1 before March 2018 may hold upper case and '_' and reach 255 characters.
const LEGACY_BUCKET = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{1,253})[A-Za-z0-9]$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;
// S3 Tables (API reference): table bucket names 3-63 of a-z, 0-9 and '-', starting and ending with a
// letter or digit; namespace and table names 1-255 of a-z, 0-9 and '_'.
const TABLE_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const TABLE_NAME = /^[a-z0-9_]{1,255}$/;
const PARTITION = 'aws(?:-[a-z]+)*';
// A key id is a UUID, or mrk- and 32 hex digits for a multi-Region key.
const KEY_ID_BODY =
  '(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})';
const KEY_ID = new RegExp(`^${KEY_ID_BODY}$`);
// Alias names: "alias/" then 1–250 of letters, digits, '/', '_' and '-' (256 characters in all).
const ALIAS_BODY = 'alias/[A-Za-z0-9/_-]{1,250}';
const ALIAS = new RegExp(`^${ALIAS_BODY}$`);
const KEY_ARN = new RegExp(`^arn:${PARTITION}:kms:[a-z]{2}(?:-[a-z]+)+-\\d{1,2}:\\d{12}:key/${KEY_ID_BODY}$`);
const ALIAS_ARN = new RegExp(`^arn:${PARTITION}:kms:[a-z]{2}(?:-[a-z]+)+-\\d{1,2}:\\d{12}:${ALIAS_BODY}$`);

export function isBucketName(name: string): boolean {
  return (BUCKET.test(name) || LEGACY_BUCKET.test(name)) && !name.includes('..');
}

export function isRegion(region: string): boolean {
  return REGION.test(region);
}

function isAccountId(account: string): boolean {
  return ACCOUNT.test(account);
}

/** A key id, key ARN, alias name or alias ARN: every form S3 and KMS accept for a key. */
export function isKmsKeyReference(ref: string): boolean {
  return KEY_ID.test(ref) || KEY_ARN.test(ref) || ALIAS.test(ref) || ALIAS_ARN.test(ref);
}

/** Shortened and JSON-quoted, so a hostile value cannot forge lines or run on in a message. */
function quoteIdentifier(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 117)}...` : value);
}

export const IDENTIFIER_FORMATS = {
  bucket:
    'an S3 bucket name (3-63 characters of a-z, 0-9, "." and "-"; legacy us-east-1 names up to 255 with A-Z and "_")',
  region: 'an AWS Region code such as eu-west-1',
  account: 'a 12-digit AWS account id',
  kmsKey: 'a KMS key id (UUID or mrk-…), key ARN, alias name (alias/…) or alias ARN',
  tableBucket: 'an S3 table bucket name (3-63 characters of a-z, 0-9 and "-")',
  tableName: 'an S3 Tables namespace or table name (1-255 characters of a-z, 0-9 and "_")',
} as const;

/** Why `value` cannot be used as a `kind`, or undefined when it fits AWS's format. */
export function identifierProblem(kind: keyof typeof IDENTIFIER_FORMATS, value: unknown): string | undefined {
  const ok =
    typeof value === 'string' &&
    (kind === 'bucket'
      ? isBucketName(value)
      : kind === 'region'
        ? isRegion(value)
        : kind === 'account'
          ? isAccountId(value)
          : kind === 'tableBucket'
            ? TABLE_BUCKET.test(value)
            : kind === 'tableName'
              ? TABLE_NAME.test(value)
              : isKmsKeyReference(value));
  if (ok) return undefined;
  const shown = typeof value === 'string' ? quoteIdentifier(value) : `a ${value === null ? 'null' : typeof value}`;
  return `${shown} is not ${IDENTIFIER_FORMATS[kind]}`;
}
