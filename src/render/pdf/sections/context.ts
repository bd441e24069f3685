import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import type { Doc } from '../draw.js';
import type { PageGeometry } from '../layout.js';

/** What every section draws with. `t` reads `pdf.<key>` from templates/wording.yaml. */
export interface PageContext {
  doc: Doc;
  packet: Packet;
  geometry: PageGeometry;
  t(key: string, context?: Record<string, unknown>): string;
  /** Whether `pdf.<key>` exists. */
  has(key: string): boolean;
  /** The page gave the trend chart's room to controls and findings (the workbook's Trend sheet has it). */
  withoutTrendChart?: boolean;
}

export function pageContext(doc: Doc, packet: Packet, geometry: PageGeometry, wording: Wording): PageContext {
  return {
    doc,
    packet,
    geometry,
    t: (key, context) => wording.t(`pdf.${key}`, context),
    has: (key) => wording.has(`pdf.${key}`),
  };
}
