import { isRefusedRead, readConfinedFile } from '../util/confined-read.js';
import { parseJsonBytes } from '../util/json-members.js';
import path from 'node:path';
import { PACKET_FILE } from '../packet-folder.js';

/** One month's packet.json as found on disk: parsed JSON (not yet checked), absent, or unreadable. */
export type PacketFile =
  | { period: string; state: 'present'; packet: unknown }
  | { period: string; state: 'missing' }
  | { period: string; state: 'unreadable'; problem: string };

/**
 * Reads output/<month>/<tenant>/packet.json. Only I/O: what the file says is judged by pointOfFile.
 */
export async function readPacketOfMonth(outDir: string, tenant: string, month: string): Promise<PacketFile> {
  const file = path.join(outDir, month, tenant, PACKET_FILE);
  let bytes: Buffer | undefined;
  try {
    // Inside the output folder only: a packet.json linked to elsewhere is unreadable, not a month.
    bytes = await readConfinedFile(outDir, file);
  } catch (err) {
    const problem = isRefusedRead(err)
      ? err.message
      : `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
    return { period: month, state: 'unreadable', problem };
  }
  if (bytes === undefined) return { period: month, state: 'missing' };
  try {
    return { period: month, state: 'present', packet: parseJsonBytes(bytes) };
  } catch (err) {
    return { period: month, state: 'unreadable', problem: `${file}: not valid JSON (${(err as Error).message})` };
  }
}
