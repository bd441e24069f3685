import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Packet } from '../model/packet.js';
import { PACKET_FILE } from '../packet-folder.js';
import { sha256 } from '../util/hash.js';

/**
 * A folder's packet.json read back: the packet and the sha256 of its text. The text itself is not
 * kept (some 90 MB at 10,000 buckets, held for nothing through a whole render or verify). Throws the
 * read's error, or a SyntaxError when the text is not JSON.
 */
export async function readPacketFile(folder: string): Promise<{ packet: Packet; sha256: string }> {
  const text = await readFile(path.join(folder, PACKET_FILE), 'utf8');
  return { packet: JSON.parse(text) as Packet, sha256: sha256(text) };
}
