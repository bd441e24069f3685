import type { ExportRows } from '../model/export-rows.js';
import type { Packet } from '../model/packet.js';
import type { Wording } from '../wording/wording.js';

interface RenderContext {
  /** Where to write outputs (a staging folder; the caller moves them into place). */
  outDir: string;
  /** The rows behind the packet's summaries, from the analysis that made it. */
  exports: ExportRows;
  wording: Wording;
  pageSize: 'A4' | 'LETTER';
  topFindings: number;
  /** sha256 of packet.json, printed on the page so the PDF points at the exact data behind it. */
  packetSha256: string;
}

/** One output format. Returns the paths it wrote, relative to outDir. */
export interface Renderer {
  id: 'pdf' | 'xlsx' | 'csv' | 'ocsf' | 'readme';
  render(packet: Packet, ctx: RenderContext): Promise<string[]>;
}
