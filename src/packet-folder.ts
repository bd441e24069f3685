/** The Packet model's file in a packet folder (output/<period>/<tenant>/), read by every renderer and by verify. */
export const PACKET_FILE = 'packet.json';

/**
 * Whose packet a packet.json says it is, read from the file as it is (it may hold anything): its
 * tenant id and period label, "unknown" where they are missing. A packet counts only in the folder
 * the run writes it to, <period>/<tenant id>/.
 */
export function packetOwner(found: unknown): { tenant: string; period: string } {
  const p = (typeof found === 'object' && found !== null ? found : {}) as {
    tenant?: { id?: unknown };
    period?: { label?: unknown };
  };
  const text = (v: unknown) => (typeof v === 'string' ? v : 'unknown');
  return { tenant: text(p.tenant?.id), period: text(p.period?.label) };
}
