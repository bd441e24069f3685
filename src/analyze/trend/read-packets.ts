import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { monthsEndingWith } from './months.js';

export const PACKET_FILE_NAME = 'packet.json';

/** One month's packet.json as found on disk: parsed JSON (not yet checked), absent, or unreadable. */
export type PacketFile =
  | { period: string; state: 'present'; packet: unknown }
  | { period: string; state: 'missing' }
  | { period: string; state: 'unreadable'; problem: string };

/**
 * Reads output/<month>/<tenant>/packet.json for the 12 months up to and including `period`.
 * Only I/O: what the files say is judged by buildTrend.
 */
export async function readPreviousPackets(outDir: string, tenant: string, period: string): Promise<PacketFile[]> {
  const out: PacketFile[] = [];
  for (const month of monthsEndingWith(period)) {
    const file = path.join(outDir, month, tenant, PACKET_FILE_NAME);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      out.push(code === 'ENOENT' ? { period: month, state: 'missing' } : { period: month, state: 'unreadable', problem: `${file}: cannot read (${code ?? String(err)})` });
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
