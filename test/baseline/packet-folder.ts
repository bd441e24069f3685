/** Writes hand-built evidence into a packet folder the way collection does: one file per record, plus index.json. */
import path from 'node:path';
import type { BucketEvidence, KeyEvidence, TenantEvidence } from '../../src/evidence/bundle.js';
import type { FiledRecord } from '../../src/evidence/record.js';
import { EvidenceWriter, evidencePaths, writeEvidenceIndex } from '../../src/evidence/evidence-store.js';
import { failed, ok } from '../support/evidence-builders.js';

export const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1111aaaa-2222-3333-4444-555566667777';

export function customerKey(rotationEnabled: boolean, policy: object, reference = KEY_ARN): KeyEvidence {
  return {
    reference,
    referencedBy: ['acme-data'],
    account: '111122223333',
    region: 'eu-west-1',
    describe: ok('kms:DescribeKey', {
      KeyMetadata: {
        Arn: KEY_ARN,
        KeyId: '1111aaaa-2222-3333-4444-555566667777',
        KeyManager: 'CUSTOMER',
        KeyState: 'Enabled',
      },
    }),
    rotation: ok('kms:GetKeyRotationStatus', {
      KeyRotationEnabled: rotationEnabled,
      ...(rotationEnabled ? { RotationPeriodInDays: 365 } : {}),
    }),
    policy: ok('kms:GetKeyPolicy', { Policy: JSON.stringify(policy), PolicyName: 'default' }),
  };
}

export function deniedKey(reference: string): KeyEvidence {
  return {
    reference,
    referencedBy: ['acme-data'],
    account: '111122223333',
    region: 'eu-west-1',
    describe: failed('kms:DescribeKey', 'AccessDeniedException', 'access_denied'),
  };
}

async function put<T>(writer: EvidenceWriter, file: string, record: FiledRecord<T>): Promise<FiledRecord<T>> {
  const { file: _old, ...rest } = record;
  return writer.writeRecord(file, rest);
}

/** Rewrites every record to its own file under the folder and writes the index; returns the folder. */
export async function writePacketFolder(out: string, ev: TenantEvidence): Promise<string> {
  const dir = path.join(out, ev.period.label, ev.tenant.id);
  const writer = new EvidenceWriter(dir);
  const buckets: BucketEvidence[] = [];
  for (const b of ev.buckets) {
    const base = evidencePaths.bucket(b.account, b.name);
    const inventory = `${base}/inventory.json`;
    await writer.writeJson(inventory, b.inventory);
    buckets.push({
      ...b,
      ...(b.location ? { location: await put(writer, `${base}/get-bucket-location.json`, b.location) } : {}),
      tagging: await put(writer, `${base}/get-bucket-tagging.json`, b.tagging),
      encryption: await put(writer, `${base}/get-bucket-encryption.json`, b.encryption),
      policy: await put(writer, `${base}/get-bucket-policy.json`, b.policy),
      publicAccessBlock: await put(writer, `${base}/get-public-access-block.json`, b.publicAccessBlock),
      inventory: { ...b.inventory, file: inventory },
    });
  }
  const keys: KeyEvidence[] = [];
  for (const [i, k] of ev.keys.entries()) {
    const base = evidencePaths.key(k.account, k.region, `key-${i}`);
    keys.push({
      ...k,
      describe: await put(writer, `${base}/describe-key.json`, k.describe),
      ...(k.rotation ? { rotation: await put(writer, `${base}/get-key-rotation-status.json`, k.rotation) } : {}),
      ...(k.policy ? { policy: await put(writer, `${base}/get-key-policy.json`, k.policy) } : {}),
    });
  }
  const accounts = await Promise.all(
    ev.accounts.map(async (a) => ({
      ...a,
      listBuckets: await put(writer, `${evidencePaths.account(a.id)}/list-buckets.json`, a.listBuckets),
    })),
  );
  await writeEvidenceIndex(writer, { ...ev, accounts, buckets, keys });
  return dir;
}
