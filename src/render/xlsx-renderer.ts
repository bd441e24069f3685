import path from 'node:path';
import type { ExportRows } from '../model/export-rows.js';
import type { Packet } from '../model/packet.js';
import { UNENCRYPTED_EXPORT } from '../format/unencrypted-columns.js';
import { packetBaseName } from './packet-base-name.js';
import type { Renderer } from './renderer.js';
import type { UnencryptedBatch } from './xlsx/index.js';

async function* unencryptedRows(packet: Packet, exports: ExportRows): AsyncGenerator<UnencryptedBatch> {
  for (const b of packet.buckets) {
    if (b.coverage.state !== 'measured' || b.coverage.unencryptedExport.rows === 0) continue;
    for await (const records of exports.unencryptedObjects(b.coverage.unencryptedExport.file)) {
      yield {
        count: records.count,
        rows: () =>
          records.rows().map((r) => ({
            bucket: r.bucket,
            key: r.key,
            version_id: r.versionId ?? '',
            is_latest: r.isLatest === undefined ? '' : String(r.isLatest),
            size: r.size,
            last_modified_date: r.lastModified ?? '',
            storage_class: r.storageClass ?? '',
            encryption_status: r.encryptionStatus,
          })),
      };
    }
  }
}

/**
 * The workbook renderer, in a module of its own: the workbook thread (pipeline/workbook-thread.ts)
 * loads it without the other renderers' code.
 */
export const xlsxRenderer: Renderer = {
  id: 'xlsx',
  async render(packet, ctx) {
    const file = `${packetBaseName(packet)}.xlsx`;
    const { renderXlsxFile } = await import('./xlsx/index.js');
    await renderXlsxFile(
      packet,
      {
        wording: ctx.wording,
        unencryptedObjects: unencryptedRows(packet, ctx.exports),
        unencryptedCsv: UNENCRYPTED_EXPORT,
      },
      path.join(ctx.outDir, file),
    );
    return [file];
  },
};
