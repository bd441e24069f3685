import type { CloudTrailRecord } from '../../evidence/cloudtrail-record.js';

/** Calls that use a key's material: what "who used this key" counts. */
export const KMS_CRYPTO_OPERATIONS: ReadonlySet<string> = new Set([
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'Sign',
  'Verify',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
]);

/** Calls (and service events: RotateKey, DeleteKey) that change a key, its policy, grants, aliases or rotation. */
export const KMS_MANAGEMENT_EVENTS: ReadonlySet<string> = new Set([
  'CreateKey',
  'EnableKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'DeleteKey',
  'PutKeyPolicy',
  'EnableKeyRotation',
  'DisableKeyRotation',
  'RotateKeyOnDemand',
  'RotateKey',
  'CreateGrant',
  'RetireGrant',
  'RevokeGrant',
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
  'ImportKeyMaterial',
  'DeleteImportedKeyMaterial',
  'UpdateKeyDescription',
  'TagResource',
  'UntagResource',
  'ReplicateKey',
  'UpdatePrimaryRegion',
]);

const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const isKeyArn = (v: unknown): boolean => typeof v === 'string' && v.startsWith('arn:') && v.includes(':key/');

/**
 * The keys a KMS record is about, as ARNs: resources[].ARN naming a key; else the key ARN KMS
 * answered with (responseElements.keyId, or keyMetadata.arn of a CreateKey) — a record whose
 * `resources` is null can still name its key there, and the answer's ARN is authoritative where
 * the record's awsRegion need not be; else requestParameters.keyId: a key ARN as given, a bare key
 * id made into an ARN with the record's region and recipient account, or an alias as an alias ARN
 * (`arn:aws:kms:<region>:<account>:alias/<name>`), which analysis resolves through the account's
 * ListAliases (aliasTargets in analyze/guardrails/key-usage.ts).
 */
export function keyArnsOf(r: CloudTrailRecord): string[] {
  // Each key once, in the order named (an array: a record names one key or a few).
  const arns: string[] = [];
  for (const res of r.resources ?? []) {
    if (isKeyArn(res?.ARN) && !arns.includes(res.ARN!)) arns.push(res.ARN!);
  }
  if (arns.length > 0) return arns;
  const answered = r.responseElements?.keyId ?? (r.responseElements?.keyMetadata as { arn?: unknown } | undefined)?.arn;
  if (isKeyArn(answered)) return [answered as string];
  const keyId = r.requestParameters?.keyId ?? r.requestParameters?.targetKeyId;
  if (typeof keyId === 'string') {
    if (isKeyArn(keyId)) return [keyId];
    if (keyId.startsWith('arn:') && keyId.includes(':alias/')) return [keyId];
    const account = r.recipientAccountId ?? r.userIdentity?.accountId;
    if (r.awsRegion && account) {
      if (KEY_ID.test(keyId)) return [`arn:aws:kms:${r.awsRegion}:${account}:key/${keyId}`];
      if (keyId.startsWith('alias/')) return [`arn:aws:kms:${r.awsRegion}:${account}:${keyId}`];
    }
  }
  return [];
}

/** Bucket named by the S3 encryption context (aws:s3:arn is the bucket ARN with Bucket Keys, else the object ARN). */
export function bucketOfKmsEvent(r: CloudTrailRecord): string | null {
  const context = r.requestParameters?.encryptionContext as Record<string, unknown> | undefined;
  const arn = context?.['aws:s3:arn'];
  if (typeof arn !== 'string') return null;
  const m = /^arn:[^:]+:s3:::([^/]+)/.exec(arn);
  return m ? m[1]! : null;
}

/** A request parameter as text: scalars as themselves, anything else as JSON (never "[object Object]"). */
function paramText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : (JSON.stringify(v) ?? String(v));
}

/** A short human detail for a management event, from its request parameters. */
export function managementDetail(r: CloudTrailRecord): string | undefined {
  const p = r.requestParameters ?? {};
  switch (r.eventName) {
    case 'CreateGrant': {
      const ops = Array.isArray(p.operations) ? p.operations.join(',') : '';
      return `grantee ${paramText(p.granteePrincipal ?? '?')}${ops ? `; operations ${ops}` : ''}`;
    }
    case 'RetireGrant':
    case 'RevokeGrant':
      return p.grantId ? `grant ${paramText(p.grantId)}` : undefined;
    case 'ScheduleKeyDeletion':
      return p.pendingWindowInDays !== undefined
        ? `pending window ${paramText(p.pendingWindowInDays)} days`
        : undefined;
    case 'CreateAlias':
    case 'UpdateAlias':
    case 'DeleteAlias':
      return p.aliasName ? `alias ${paramText(p.aliasName)}` : undefined;
    case 'PutKeyPolicy':
      return p.policyName ? `policy ${paramText(p.policyName)}` : undefined;
    default:
      return undefined;
  }
}
