import { readFile } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import type { Packet } from '../model/packet.js';
import { PACKET_FILE } from '../packet-folder.js';
import { sha256 } from '../util/hash.js';
import { parseJsonBytes } from '../util/json-members.js';

/**
 * A folder's packet.json read back: the packet and the sha256 of its text (UTF-8: the hash of the
 * file's bytes, which the manifest lists, whenever they are valid UTF-8). The text is never one
 * string: at 10,000 buckets it is some 90 MB, a 180 MB string in memory, which was the largest part of
 * a render's or verify's peak; the bytes are parsed member by member (util/json-members.ts) and let go.
 * Throws the read's error, or a SyntaxError when the text is not JSON.
 */
export async function readPacketFile(folder: string): Promise<{ packet: Packet; sha256: string }> {
  const bytes = await readFile(path.join(folder, PACKET_FILE));
  return { packet: parseJsonBytes(bytes) as Packet, sha256: packetTextSha256(bytes) };
}

/** sha256 of the bytes read as UTF-8 text: the bytes' own hash when they are valid UTF-8 (the text is not made). */
function packetTextSha256(bytes: Buffer): string {
  return sha256(isUtf8(bytes) ? bytes : bytes.toString('utf8'));
}

/** A folder's packet.json parsed as readPacketFile parses it, for readers that do not need its hash. */
export async function readPacket(folder: string): Promise<Packet> {
  return parseJsonBytes(await readFile(path.join(folder, PACKET_FILE))) as Packet;
}
