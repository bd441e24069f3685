/** The Packet model's file in a packet folder (output/<period>/<tenant>/), read by every renderer and by verify. */
export const PACKET_FILE = 'packet.json';
