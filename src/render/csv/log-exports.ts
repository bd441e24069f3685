/**
 * Every row behind the log sections, as CSV: each denied upload, each key-usage tally (key ×
 * principal × operation × day × bucket), each key-management event. The packet keeps only
 * summaries; the rows come from the same analysis that made it (ExportRows). Cells are written by
 * csv-lines.ts, which neutralises formula starts.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { keyManagementCsvLines, deniedUploadsCsvLines, keyUsageCsvLines, writeLines } from './csv-lines.js';
import type { Packet } from '../../model/packet.js';
import type { LogExportRows } from '../../model/export-rows.js';

export interface LogExportPaths {
  deniedUploads: string;
  keyUsage: string;
  keyEvents: string;
}

export const LOG_EXPORTS: LogExportPaths = {
  deniedUploads: 'exports/denied-uploads.csv',
  keyUsage: 'exports/key-usage.csv',
  keyEvents: 'exports/key-management-events.csv',
};

/** Writes `lines` to `outDir/rel` through a temporary file; resolves with the number of data rows. */
async function writeCsv(outDir: string, rel: string, lines: Iterable<string>): Promise<number> {
  const file = path.join(outDir, ...rel.split('/'));
  const tmp = `${file}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  const rows = await writeLines(lines, out);
  out.end();
  await once(out, 'finish');
  await rename(tmp, file);
  return rows;
}

/**
 * The three log exports, for the sections the packet has collected (none for a section that was
 * not). Throws when the rows give other totals than the packet: the CSV would then not be the
 * detail of the page (rows derived from evidence beside a packet.json that was edited, say).
 */
export async function writeLogExports(packet: Packet, rows: LogExportRows, outDir: string): Promise<string[]> {
  const denied = packet.sections.deniedUploads;
  const usage = packet.sections.keyUsage;
  const written: string[] = [];

  if (denied.state === 'collected') {
    if (rows.deniedUploads.length !== denied.total)
      throw new Error(
        `denied-uploads export: evidence gives ${rows.deniedUploads.length} rows, packet.json says ${denied.total}`,
      );
    await writeCsv(outDir, LOG_EXPORTS.deniedUploads, deniedUploadsCsvLines(rows.deniedUploads));
    written.push(LOG_EXPORTS.deniedUploads);
  }

  if (usage.state === 'collected') {
    const calls = rows.keyUsage.reduce((n, r) => n + r.calls, 0);
    if (calls !== usage.totals.calls || rows.keyEvents.length !== usage.totals.managementEvents) {
      throw new Error(
        `key-usage export: evidence gives ${calls} calls and ${rows.keyEvents.length} management events, packet.json says ${usage.totals.calls} and ${usage.totals.managementEvents}`,
      );
    }
    await writeCsv(outDir, LOG_EXPORTS.keyUsage, keyUsageCsvLines(rows.keyUsage));
    await writeCsv(outDir, LOG_EXPORTS.keyEvents, keyManagementCsvLines(rows.keyEvents));
    written.push(LOG_EXPORTS.keyUsage, LOG_EXPORTS.keyEvents);
  }
  return written;
}
