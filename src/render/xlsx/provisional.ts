import type { Packet } from '../../model/packet.js';
import type { Wording } from '../../wording/wording.js';

/**
 * A provisional packet says so on every sheet: in row 1, right of the sheet's own columns (no cell
 * an auditor or a test addresses moves), on its tab and in the printed header (see book.ts).
 */
export function provisionalBanner(w: Wording, packet: Packet): string | undefined {
  if (!packet.provisional) return undefined;
  return w.t('xlsx.provisional', { period: packet.period.label, generatedAt: packet.generatedAt });
}
