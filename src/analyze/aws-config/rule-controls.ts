import type { BucketResult, ControlResult, KeyResult } from '../../model/packet.js';
import type { Verdict } from '../../model/shared.js';
import { BUCKET_TYPE, KEY_TYPE, type CoveredRuleIdentifier } from '../../evidence/aws-config-shapes.js';
import { firstByKey, joinKey } from '../lookup.js';

/** This packet's verdict on one resource, for comparison with AWS's. */
export interface OurVerdict {
  verdict: Verdict;
  reason: string;
}

export interface RuleCorrespondence {
  controlId: string;
  resourceType: typeof BUCKET_TYPE | typeof KEY_TYPE;
  /** Our verdict for the resource (bucket name, or the key's packet name), from the packet's facts. */
  ours(resource: string, facts: { controls: ControlResult[]; buckets: BucketResult[] }): OurVerdict | undefined;
}

function fromControl(controlId: string): RuleCorrespondence['ours'] {
  return (resource, { controls }) => {
    const control = controls.find((c) => c.id === controlId);
    const r = control && firstByKey(control.resources, 'resource', (x) => [x.resource]).get(resource);
    return r ? { verdict: r.verdict, reason: r.reason } : undefined;
  };
}

/**
 * S3_DEFAULT_ENCRYPTION_KMS asks one thing of a bucket: is its default encryption a KMS key? Our
 * control for the encryption mode judges against the tenant's expectation instead (which may accept
 * SSE-S3), so the comparison uses our reading of the same fact: SSE-KMS or DSSE-KMS passes.
 */
function defaultEncryptionIsKms(bucket: string, buckets: BucketResult[]): OurVerdict | undefined {
  const b = firstByKey(buckets, 'name', (x) => [x.name]).get(bucket);
  if (!b) return undefined;
  const enc = b.defaultEncryption;
  if (enc.state === 'unreadable')
    return { verdict: 'not_evaluated', reason: `GetBucketEncryption failed: ${enc.errorCode}` };
  if (enc.state === 'not_configured') return { verdict: 'fail', reason: 'no default encryption configuration' };
  if (enc.mode === 'SSE-S3')
    return { verdict: 'fail', reason: `default encryption SSE-S3 (${enc.algorithm}), not a KMS key` };
  return {
    verdict: 'pass',
    reason: `default encryption ${enc.mode} with ${enc.kmsKeyArn ?? enc.kmsKeyId ?? 'the AWS-managed key aws/s3'}`,
  };
}

/** Which control each covered managed rule corresponds to, and where our verdict comes from. */
const RULE_CONTROLS: Record<CoveredRuleIdentifier, RuleCorrespondence> = {
  S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED: {
    controlId: 's3-default-encryption-enabled',
    resourceType: BUCKET_TYPE,
    ours: fromControl('s3-default-encryption-enabled'),
  },
  S3_BUCKET_SSL_REQUESTS_ONLY: {
    controlId: 's3-policy-denies-insecure-transport',
    resourceType: BUCKET_TYPE,
    ours: fromControl('s3-policy-denies-insecure-transport'),
  },
  S3_DEFAULT_ENCRYPTION_KMS: {
    controlId: 's3-default-encryption-matches-expectation',
    resourceType: BUCKET_TYPE,
    ours: (resource, { buckets }) => defaultEncryptionIsKms(resource, buckets),
  },
  CMK_BACKING_KEY_ROTATION_ENABLED: {
    controlId: 'kms-customer-keys-rotate',
    resourceType: KEY_TYPE,
    ours: fromControl('kms-customer-keys-rotate'),
  },
};

export function correspondenceOf(identifier: string | null): RuleCorrespondence | undefined {
  return identifier && identifier in RULE_CONTROLS ? RULE_CONTROLS[identifier as CoveredRuleIdentifier] : undefined;
}

/** The name the packet gives a key (as the key controls do): alias, else ARN, else the reference. */
export function keyName(k: KeyResult): string {
  return k.alias ?? k.arn ?? k.reference;
}

/** The key AWS Config records under `keyId` (a key id), among the packet's keys of that account and region. */
export function keyByConfigId(
  keys: KeyResult[],
  account: string,
  region: string,
  keyId: string,
): KeyResult | undefined {
  return firstByKey(keys, 'config id', (k) => configIdsOf(k).map((id) => joinKey(k.account, k.region, id))).get(
    joinKey(account, region, keyId),
  );
}

/** Every key id under which AWS Config could record `k`: its reference, and what follows each ":key/" of its ARN or reference. */
function configIdsOf(k: KeyResult): string[] {
  const ids = [k.reference];
  for (const s of [k.arn, k.reference]) {
    if (s === undefined) continue;
    for (let at = s.indexOf(':key/'); at >= 0; at = s.indexOf(':key/', at + 1)) ids.push(s.slice(at + ':key/'.length));
  }
  return ids;
}

/** ISO-8601 UTC to the second, from an ISO string or epoch seconds (older CLIs); undefined when neither. */
export function isoSeconds(ts: unknown): string | undefined {
  const d = typeof ts === 'number' ? new Date(ts * 1000) : typeof ts === 'string' ? new Date(ts) : undefined;
  if (!d || Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
