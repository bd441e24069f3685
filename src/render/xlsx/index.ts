import type { Writable } from 'node:stream';
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
import { addTableBucketsSheet } from './sheets/table-buckets.js';
import { addDirectoryBucketsSheet } from './sheets/directory-buckets.js';
import { addSectionsSheet } from './sheets/sections.js';
import { addSummarySheet } from './sheets/summary.js';
import { addTrendSheet } from './sheets/trend.js';
import { addUnencryptedSheet, type UnencryptedBatch } from './sheets/unencrypted.js';
import { provisionalBanner } from './provisional.js';
import { bookBytes, openBook, writeBookFile } from './book.js';
import { LOG_EXPORTS, type LogExportPaths } from '../csv/log-exports.js';

export type { UnencryptedBatch, UnencryptedRow } from './sheets/unencrypted.js';
const DEFAULT_UNENCRYPTED_CAP = 10_000;

export interface RenderXlsxOptions {
  wording: Wording;
  /** The full unencrypted-object list, streamed in batches; without it the packet's samples are shown. */
  unencryptedObjects?: AsyncIterable<UnencryptedBatch>;
  /** Most rows on the Unencrypted objects sheet; default 10,000. */
  unencryptedCap?: number;
  /** Relative path of the full CSV, e.g. exports/unencrypted-objects.csv. */
  unencryptedCsv: string;
  /** Relative paths of the log exports the sheets point to; default the csv renderer's. */
  logCsv?: LogExportPaths;
}

/**
 * The auditor workbook, streamed to `out` sheet by sheet. Document properties come from
 * packet.generatedAt; the zip entry times are stamped by the callers below.
 */
async function writeXlsx(packet: Packet, opts: RenderXlsxOptions, out: Writable): Promise<void> {
  const w = opts.wording;
  const cap = opts.unencryptedCap ?? DEFAULT_UNENCRYPTED_CAP;
  if (!Number.isInteger(cap) || cap < 0) throw new Error(`unencryptedCap must be a whole number >= 0, got ${cap}`);
  const generatedAt = documentDate(packet);

  const book = openBook(out, {
    author: `${packet.tool.name} ${packet.tool.version}`,
    title: w.t('xlsx.title', { tenant: packet.tenant.displayName, period: packet.period.label }),
    date: generatedAt,
    banner: provisionalBanner(w, packet),
  });
  await addSummarySheet(book, w, packet);
  await addControlsSheet(book, w, packet);
  await addFrameworkSheets(book, w, packet);
  await addFindingsSheet(book, w, packet);
  await addBucketsSheet(book, w, packet);
  await addCoverageSheet(book, w, packet);
  await addUnencryptedSheet(book, w, packet, { rows: opts.unencryptedObjects, cap, csv: opts.unencryptedCsv });
  const logCsv = opts.logCsv ?? LOG_EXPORTS;
  await addDeniedUploadsSheet(book, w, packet, logCsv.deniedUploads);
  await addKeysSheet(book, w, packet);
  await addTableBucketsSheet(book, w, packet);
  await addDirectoryBucketsSheet(book, w, packet);
  await addKeyUsageSheet(book, w, packet, logCsv.keyUsage);
  await addKeyEventsSheet(book, w, packet, logCsv.keyEvents);
  await addDriftSheet(book, w, packet);
  await addExceptionsSheet(book, w, packet);
  await addTrendSheet(book, w, packet);
  await addSectionsSheet(book, w, packet);
  await addEvidenceSheet(book, w, packet);
  await addAwsConfigSheet(book, w, packet);
  await book.finish();
}

function documentDate(packet: Packet): Date {
  const generatedAt = new Date(packet.generatedAt);
  if (Number.isNaN(generatedAt.getTime())) throw new Error(`packet.generatedAt is not a date: ${packet.generatedAt}`);
  return generatedAt;
}

/**
 * Writes the workbook to `file`. Deterministic: the same packet gives the same bytes (zip entries
 * dated packet.generatedAt).
 */
export async function renderXlsxFile(packet: Packet, opts: RenderXlsxOptions, file: string): Promise<void> {
  await writeBookFile(file, documentDate(packet), (out) => writeXlsx(packet, opts, out));
}

/** The workbook as bytes. */
export async function renderXlsx(packet: Packet, opts: RenderXlsxOptions): Promise<Buffer> {
  return await bookBytes(documentDate(packet), (out) => writeXlsx(packet, opts, out));
}
