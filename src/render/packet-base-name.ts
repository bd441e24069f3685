import type { Packet } from '../model/packet.js';

/** `<tenant>-<period>`: the PDF's and the workbook's file name without its extension. */
export function packetBaseName(packet: Packet): string {
  return `${packet.tenant.id}-${packet.period.label}`;
}
