import ExcelJS from 'exceljs';
import type { Packet } from '../../model/packet.js';
import type { Wording } from '../../wording/wording.js';
import { addBucketsSheet } from './sheets/buckets.js';
import { addControlsSheet } from './sheets/controls.js';
import { addCoverageSheet } from './sheets/coverage.js';
import { addDeniedUploadsSheet } from './sheets/denied-uploads.js';
import { addDriftSheet } from './sheets/drift.js';
import { addExceptionsSheet } from './sheets/exceptions.js';
import { addEvidenceSheet } from './sheets/evidence.js';
import { addAwsConfigSheet } from './sheets/aws-config.js';
import { addFindingsSheet } from './sheets/findings.js';
import { addFrameworkSheets } from './sheets/framework.js';
import { addKeyEventsSheet } from './sheets/key-events.js';
import { addKeyUsageSheet } from './sheets/key-usage.js';
import { addKeysSheet } from './sheets/keys.js';
import { addSectionsSheet } from './sheets/sections.js';
import { addSummarySheet } from './sheets/summary.js';
import { addTrendSheet } from './sheets/trend.js';
import { addUnencryptedSheet, type UnencryptedRow } from './sheets/unencrypted.js';
import { stampZipEntries } from './zip-timestamps.js';
import { stampProvisional } from './provisional.js';
import { LOG_EXPORTS, type LogExportPaths } from '../csv/log-exports.js';

export type { UnencryptedRow } from './sheets/unencrypted.js';
const DEFAULT_UNENCRYPTED_CAP = 10_000;

export interface RenderXlsxOptions {
  wording: Wording;
  /** The full unencrypted-object list, streamed; without it the packet's samples are shown. */
  unencryptedObjects?: AsyncIterable<UnencryptedRow>;
  /** Most rows on the Unencrypted objects sheet; default 10,000. */
  unencryptedCap?: number;
  /** Relative path of the full CSV, e.g. exports/unencrypted-objects.csv. */
  unencryptedCsv: string;
  /** Relative paths of the log exports the sheets point to; default the csv renderer's. */
  logCsv?: LogExportPaths;
}

/**
 * The auditor workbook. Deterministic: document properties and zip entry times come from
 * packet.generatedAt, so the same packet renders to the same bytes.
 */
export async function renderXlsx(packet: Packet, opts: RenderXlsxOptions): Promise<Buffer> {
  const w = opts.wording;
  const cap = opts.unencryptedCap ?? DEFAULT_UNENCRYPTED_CAP;
  if (!Number.isInteger(cap) || cap < 0) throw new Error(`unencryptedCap must be a whole number >= 0, got ${cap}`);
  const generatedAt = new Date(packet.generatedAt);
  if (Number.isNaN(generatedAt.getTime())) throw new Error(`packet.generatedAt is not a date: ${packet.generatedAt}`);

  const wb = new ExcelJS.Workbook();
  const author = `${packet.tool.name} ${packet.tool.version}`;
  wb.creator = author;
  wb.lastModifiedBy = author;
  wb.created = generatedAt;
  wb.modified = generatedAt;
  wb.title = w.t('xlsx.title', { tenant: packet.tenant.displayName, period: packet.period.label });

  addSummarySheet(wb, w, packet);
  addControlsSheet(wb, w, packet);
  addFrameworkSheets(wb, w, packet);
  addFindingsSheet(wb, w, packet);
  addBucketsSheet(wb, w, packet);
  addCoverageSheet(wb, w, packet);
  await addUnencryptedSheet(wb, w, packet, { rows: opts.unencryptedObjects, cap, csv: opts.unencryptedCsv });
  const logCsv = opts.logCsv ?? LOG_EXPORTS;
  addDeniedUploadsSheet(wb, w, packet, logCsv.deniedUploads);
  addKeysSheet(wb, w, packet);
  addKeyUsageSheet(wb, w, packet, logCsv.keyUsage);
  addKeyEventsSheet(wb, w, packet, logCsv.keyEvents);
  addDriftSheet(wb, w, packet);
  addExceptionsSheet(wb, w, packet);
  addTrendSheet(wb, w, packet);
  addSectionsSheet(wb, w, packet);
  addEvidenceSheet(wb, w, packet);
  addAwsConfigSheet(wb, w, packet);
  stampProvisional(wb, w, packet);

  const written = await wb.xlsx.writeBuffer();
  return stampZipEntries(Buffer.from(written), generatedAt);
}
