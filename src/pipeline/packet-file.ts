import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Packet } from '../model/packet.js';
import { PACKET_FILE } from '../packet-folder.js';
import { sha256 } from '../util/hash.js';

/**
 * A folder's packet.json read back: the packet and the sha256 of its text (UTF-8: the hash of the
 * file's bytes, which the manifest lists, whenever they are valid UTF-8). The text is not kept (some
 * 90 MB at 10,000 buckets, held for nothing through a whole render or verify); nor are the bytes read
 * as a buffer beside it, which raised a 10,000-bucket verify's peak from 546 to 690 MB. Throws the
 * read's error, or a SyntaxError when the text is not JSON.
 */
export async function readPacketFile(folder: string): Promise<{ packet: Packet; sha256: string }> {
  const text = await readFile(path.join(folder, PACKET_FILE), 'utf8');
  return { packet: JSON.parse(text) as Packet, sha256: sha256(text) };
}
