import { isRefusedRead, readConfinedText } from '../util/confined-read.js';
import path from 'node:path';
import { monthsEndingWith } from '../config/period.js';
import { PACKET_FILE } from '../packet-folder.js';

/** One month's packet.json as found on disk: parsed JSON (not yet checked), absent, or unreadable. */
export type PacketFile =
  | { period: string; state: 'present'; packet: unknown }
  | { period: string; state: 'missing' }
  | { period: string; state: 'unreadable'; problem: string }
  /** Present but did not pass `verify` (decided at collection, where I/O is allowed): a gap, never its figures. */
  | { period: string; state: 'unverified'; problem: string };

/**
 * Reads output/<month>/<tenant>/packet.json for the 12 months up to and including `period`.
 * Only I/O: what the files say is judged by buildTrend.
 */
export async function readPreviousPackets(outDir: string, tenant: string, period: string): Promise<PacketFile[]> {
  const out: PacketFile[] = [];
  for (const month of monthsEndingWith(period)) {
    const file = path.join(outDir, month, tenant, PACKET_FILE);
    let text: string | undefined;
    try {
      // Inside the output folder only: a packet.json linked to elsewhere is unreadable, not a month.
      text = await readConfinedText(outDir, file);
    } catch (err) {
      const problem = isRefusedRead(err)
        ? err.message
        : `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
      out.push({ period: month, state: 'unreadable', problem });
      continue;
    }
    if (text === undefined) {
      out.push({ period: month, state: 'missing' });
      continue;
    }
    try {
      out.push({ period: month, state: 'present', packet: JSON.parse(text) as unknown });
    } catch (err) {
      out.push({ period: month, state: 'unreadable', problem: `${file}: not valid JSON (${(err as Error).message})` });
    }
  }
  return out;
}
