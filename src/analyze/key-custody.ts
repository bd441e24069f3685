import type { DescribeKeyOutput } from '../evidence/aws-shapes.js';
import type { Finding, KeyCustody, KeyResult } from '../model/packet.js';
import type { Wording } from '../wording/wording.js';

/** Imported key material that expires before the period's end plus this many days is a finding. */
const IMPORTED_MATERIAL_NOTICE_DAYS = 30;

const ORIGINS: ReadonlySet<string> = new Set(['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE']);

function iso(t: string | number | undefined): string | undefined {
  if (t === undefined) return undefined;
  const d = typeof t === 'number' ? new Date(t * 1000) : new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace('.000Z', 'Z');
}

/** Where the key's material lives, as DescribeKey reports it. */
export function keyCustodyOf(meta: NonNullable<DescribeKeyOutput['KeyMetadata']>): KeyCustody {
  const origin = meta.Origin !== undefined && ORIGINS.has(meta.Origin) ? meta.Origin : 'not_reported';
  const type = meta.MultiRegionConfiguration?.MultiRegionKeyType;
  const expires = meta.ExpirationModel === 'KEY_MATERIAL_DOES_NOT_EXPIRE' ? undefined : iso(meta.ValidTo);
  const deletion = iso(meta.DeletionDate);
  return {
    origin: origin as KeyCustody['origin'],
    ...(meta.KeySpec ? { keySpec: meta.KeySpec } : {}),
    ...(meta.MultiRegion === true && (type === 'PRIMARY' || type === 'REPLICA')
      ? { multiRegion: type === 'PRIMARY' ? ('primary' as const) : ('replica' as const) }
      : {}),
    ...(meta.MultiRegion === true && meta.MultiRegionConfiguration?.PrimaryKey?.Region
      ? { primaryRegion: meta.MultiRegionConfiguration.PrimaryKey.Region }
      : {}),
    ...(meta.CustomKeyStoreId ? { customKeyStoreId: meta.CustomKeyStoreId } : {}),
    ...(meta.CloudHsmClusterId ? { cloudHsmClusterId: meta.CloudHsmClusterId } : {}),
    ...(origin === 'EXTERNAL' && expires ? { materialExpires: expires } : {}),
    ...(deletion ? { deletionDate: deletion } : {}),
  };
}

/**
 * Imported key material that expires within the period or the notice days after its end: once it
 * expires KMS deletes the material and everything encrypted under the key is unreadable until it is
 * imported again. Expired by the period's end is critical, expiring in the notice window high.
 */
export function importedMaterialFindings(
  keys: KeyResult[],
  periodEndUtc: string,
  wording: Wording,
): Array<Omit<Finding, 'id'>> {
  const end = Date.parse(periodEndUtc);
  const horizon = end + IMPORTED_MATERIAL_NOTICE_DAYS * 86_400_000;
  const out: Array<Omit<Finding, 'id'>> = [];
  for (const k of keys) {
    const expires = k.custody?.materialExpires;
    if (k.manager !== 'CUSTOMER' || expires === undefined) continue;
    const at = Date.parse(expires);
    if (at >= horizon) continue;
    const key = k.alias ?? k.arn ?? k.reference;
    out.push({
      severity: at < end ? 'critical' : 'high',
      controlId: 'kms-key-custody',
      resource: key,
      text: wording.t(at < end ? 'findings.keyCustody.expired' : 'findings.keyCustody.expiring', {
        key,
        date: expires.slice(0, 10),
        days: IMPORTED_MATERIAL_NOTICE_DAYS,
        usedBy: k.usedBy.filter((u) => u !== 'config').join(', '),
      }),
      evidence: k.evidence.filter((f) => f.endsWith('/describe-key.json')),
    });
  }
  return out;
}
