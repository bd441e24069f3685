import { describe, expect, it } from 'vitest';
import { importedMaterialFindings, keyCustodyOf } from '../../src/analyze/key-custody.js';
import type { KeyResult } from '../../src/model/packet.js';
import { loadWording } from '../../src/wording/wording.js';

const wording = loadWording();
// October 2026 in UTC ends at 2026-11-01T00:00Z; the notice window runs to 2026-12-01T00:00Z.
const END = '2026-11-01T00:00:00Z';

function key(
  alias: string,
  materialExpires: string | undefined,
  manager: KeyResult['manager'] = 'CUSTOMER',
): KeyResult {
  return {
    reference: `arn:aws:kms:eu-west-1:111122223333:key/${alias}`,
    account: '111122223333',
    region: 'eu-west-1',
    alias: `alias/${alias}`,
    manager,
    rotation: { state: 'not_supported', origin: 'EXTERNAL' },
    readable: true,
    custody: { origin: 'EXTERNAL', ...(materialExpires ? { materialExpires } : {}) },
    usedBy: ['payments', 'config'],
    evidence: [`evidence/kms/${alias}/describe-key.json`, `evidence/kms/${alias}/get-key-policy.json`],
  };
}

describe('keyCustodyOf', () => {
  it('imported material with an expiry', () =>
    expect(
      keyCustodyOf({
        KeyId: 'k',
        Origin: 'EXTERNAL',
        ValidTo: 1795132800, // epoch seconds, as older CLIs print it: 2026-11-20T00:00Z
        ExpirationModel: 'KEY_MATERIAL_EXPIRES',
        KeySpec: 'SYMMETRIC_DEFAULT',
        MultiRegion: false,
      }),
    ).toEqual({ origin: 'EXTERNAL', keySpec: 'SYMMETRIC_DEFAULT', materialExpires: '2026-11-20T00:00:00Z' }));
  it('material that does not expire carries no expiry', () =>
    expect(keyCustodyOf({ Origin: 'EXTERNAL', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' })).toEqual({
      origin: 'EXTERNAL',
    }));
  it('an external key store, a multi-Region primary, a deletion date', () =>
    expect(
      keyCustodyOf({
        Origin: 'EXTERNAL_KEY_STORE',
        CustomKeyStoreId: 'cks-0123456789abcdef0',
        MultiRegion: true,
        MultiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Region: 'us-east-1' } },
        DeletionDate: '2026-11-08T10:00:00Z',
      }),
    ).toEqual({
      origin: 'EXTERNAL_KEY_STORE',
      customKeyStoreId: 'cks-0123456789abcdef0',
      multiRegion: 'primary',
      primaryRegion: 'us-east-1',
      deletionDate: '2026-11-08T10:00:00Z',
    }));
  it('no Origin in the answer is "not reported", never AWS_KMS', () =>
    expect(keyCustodyOf({ KeyId: 'k' })).toEqual({ origin: 'not_reported' }));
});

describe('importedMaterialFindings', () => {
  it('expiring within 30 days after the period: high, dated, naming the buckets (not "config")', () => {
    const [f, ...rest] = importedMaterialFindings([key('byok', '2026-11-20T00:00:00Z')], END, wording);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'high', controlId: 'kms-key-custody', resource: 'alias/byok' });
    expect(f!.text).toBe(
      "alias/byok: imported key material expires on 2026-11-20, within 30 days of the period's end; data under it (payments) becomes unreadable unless the material is imported again",
    );
    expect(f!.evidence).toEqual(['evidence/kms/byok/describe-key.json']);
  });
  it('expired within the period: critical', () =>
    expect(importedMaterialFindings([key('byok', '2026-10-20T00:00:00Z')], END, wording)[0]!.severity).toBe(
      'critical',
    ));
  it('the edges: 30 days after the end exactly is outside, a second before is inside', () => {
    expect(importedMaterialFindings([key('a', '2026-12-01T00:00:00Z')], END, wording)).toEqual([]);
    expect(importedMaterialFindings([key('a', '2026-11-30T23:59:59Z')], END, wording)).toHaveLength(1);
  });
  it('no expiry, or an AWS-managed key: no finding', () => {
    expect(importedMaterialFindings([key('a', undefined)], END, wording)).toEqual([]);
    expect(importedMaterialFindings([key('a', '2026-11-02T00:00:00Z', 'AWS')], END, wording)).toEqual([]);
  });
});
