import type { KeyEvidence, AccountEvidence } from '../evidence/bundle.js';
import type { KeyResult } from '../model/packet.js';
import { keyCustodyOf } from './key-custody.js';

function iso(t: string | number | undefined): string | undefined {
  if (t === undefined) return undefined;
  const d = typeof t === 'number' ? new Date(t * 1000) : new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace('.000Z', 'Z');
}

function aliasFor(
  keyId: string | undefined,
  account: string,
  region: string,
  accounts: AccountEvidence[],
): string | undefined {
  if (!keyId) return undefined;
  const acct = accounts.find((a) => a.id === account);
  for (const rec of acct?.aliases ?? []) {
    if (rec.outcome !== 'ok' || rec.region !== region) continue;
    const names = (rec.response.Aliases ?? []).filter((a) => a.TargetKeyId === keyId).map((a) => a.AliasName ?? '');
    if (names.length > 0) return names.sort()[0];
  }
  return undefined;
}

export function keyResult(k: KeyEvidence, accounts: AccountEvidence[]): KeyResult {
  const evidence = [k.describe.file, k.rotation?.file, k.policy?.file].filter((f): f is string => Boolean(f));
  const base = { reference: k.reference, account: k.account, region: k.region, usedBy: k.referencedBy, evidence };
  if (k.describe.outcome !== 'ok') {
    return {
      ...base,
      manager: 'unknown',
      rotation: { state: 'unreadable', errorCode: k.describe.error.code },
      readable: false,
      errorCode: k.describe.error.code,
    };
  }
  const meta = k.describe.response.KeyMetadata ?? {};
  const manager = meta.KeyManager === 'AWS' ? 'AWS' : meta.KeyManager === 'CUSTOMER' ? 'CUSTOMER' : 'unknown';
  const custody = keyCustodyOf(meta);
  let rotation: KeyResult['rotation'];
  if (manager === 'AWS') rotation = { state: 'aws_managed' };
  else if (!k.rotation && custody.origin !== 'AWS_KMS' && custody.origin !== 'not_reported')
    rotation = { state: 'not_supported', origin: custody.origin };
  else if (!k.rotation) rotation = { state: 'unreadable', errorCode: 'NotCollected' };
  else if (k.rotation.outcome !== 'ok') rotation = { state: 'unreadable', errorCode: k.rotation.error.code };
  else if (k.rotation.response.KeyRotationEnabled === true) {
    const next = iso(k.rotation.response.NextRotationDate);
    rotation = {
      state: 'enabled',
      ...(k.rotation.response.RotationPeriodInDays !== undefined
        ? { periodDays: k.rotation.response.RotationPeriodInDays }
        : {}),
      ...(next ? { nextRotation: next } : {}),
    };
  } else rotation = { state: 'disabled' };
  const alias =
    aliasFor(meta.KeyId, k.account, k.region, accounts) ??
    (k.reference.includes('alias/') ? k.reference.slice(k.reference.indexOf('alias/')) : undefined);
  return {
    ...base,
    ...(meta.Arn ? { arn: meta.Arn } : {}),
    ...(alias ? { alias } : {}),
    manager,
    ...(meta.KeyState ? { state: meta.KeyState } : {}),
    rotation,
    readable: true,
    custody,
  };
}
