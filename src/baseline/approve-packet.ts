import type { TenantEvidence } from '../evidence/bundle.js';
import { evidenceHashOf } from './evidence-hash.js';
import { snapshotFromEvidence } from '../evidence/baseline-snapshot.js';
import type { BaselineStore } from './store.js';
import type { StoredBaseline } from '../evidence/baseline-snapshot.js';

/** Approves the governed state of a packet folder's evidence as the store's next version. */
export async function approvePacketEvidence(args: {
  store: BaselineStore;
  packetDir: string;
  evidence: TenantEvidence;
  by: string;
  reason: string;
  now: Date;
}): Promise<{ stored: StoredBaseline; hash: { sha256: string; basis: string } }> {
  const { evidence } = args;
  const snapshot = snapshotFromEvidence(evidence);
  const hash = await evidenceHashOf(args.packetDir, evidence.files);
  const stored = await args.store.approve({
    tenant: evidence.tenant.id,
    period: evidence.period.label,
    by: args.by,
    reason: args.reason,
    evidenceSha256: hash.sha256,
    evidenceBasis: hash.basis,
    snapshot,
    now: args.now,
  });
  return { stored, hash };
}
