import path from 'node:path';

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

const PERIOD_FOLDER = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Why a packet folder of the run's layout, <period>/<name>/, does not hold its own packet: the folder
 * names another tenant or month than the packet is of (one copied over another's). Nothing when it
 * does, or when the folder is not in a period folder: a packet kept elsewhere says nothing by its name.
 */
export function placementProblem(folder: string, owner: { tenant: string; period: string }): string | undefined {
  const absolute = path.resolve(folder);
  const name = path.basename(absolute);
  const period = path.basename(path.dirname(absolute));
  if (!PERIOD_FOLDER.test(period) || (name === owner.tenant && period === owner.period)) return undefined;
  return `the packet in ${period}/${name}/ is tenant ${owner.tenant}'s for ${owner.period}, not tenant ${name}'s for ${period}`;
}
