import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type {
  InventoryDataFile,
  InventoryEvidence,
  InventoryProblem,
  InventoryReportRef,
} from '../../evidence/inventory.js';
import { UNREADABLE } from '../../evidence/answers.js';
import { isTreeNotFound, type TreeReader } from '../tree/tree.js';
import { readDataFile } from './data-file.js';
import { errorText } from './error-text.js';
import { ExportFile } from './export-file.js';
import {
  chooseReports,
  listReportFolders,
  nearestStale,
  manifestChecksumPath,
  manifestPath,
  type ReportFolder,
} from './find-report.js';
import {
  dataFileTreePath,
  isCsvFormat,
  isOrcFormat,
  isParquetFormat,
  ORC_INVENTORY,
  parseCsvFileSchema,
  parseManifest,
  parseTypedFileSchema,
  schemaHasEncryptionStatus,
  type InventoryManifest,
} from './manifest.js';
import { readDataFilesInWorkers } from './read-in-workers.js';
import { sharedScanPool, type ScanPool } from '../workers/pool.js';
import { describeWindow, staleBecause, type ReportWindow } from './report-window.js';
import { columnLayout, InventoryTotals } from './tally.js';
import { WHOLE_FILE_MAX_BYTES } from '../../util/confined-read.js';
import { countInventoryWithSql } from '../athena/sql-inventory.js';
import { QueryFailed, type SqlEngine } from '../athena/sql-engine.js';

export interface CollectInventoryArgs {
  /** The tenant's inventory locations (destination bucket + prefix, or local copies). */
  trees: TreeReader[];
  /** Source bucket. */
  bucket: string;
  /** Which report dates describe the period (report-window.ts). */
  window: ReportWindow;
  /** Absolute path the full list of NOT-SSE objects is streamed to. */
  unencryptedCsvPath: string;
  /** The same path relative to the packet folder, as recorded in the evidence. */
  unencryptedCsvRelative: string;
  /** How many of the largest unencrypted objects to keep; default 20. */
  largestN?: number;
  /**
   * Worker threads that read the data files (of a local tree) side by side; default the process's
   * shared pool, 'in-process' to read them one after another on this thread.
   */
  workers?: ScanPool | 'in-process';
  /** Reports smaller than this (compressed bytes, all files) are read in-process: starting workers costs more. */
  workersFromBytes?: number;
  /**
   * `engine: athena`: the report's rows are counted by SQL where they lie (CSV, Parquet and ORC);
   * the manifest is still read and verified here. Default: streamed through this machine.
   */
  sql?: SqlEngine;
}

const WORKERS_FROM_BYTES = 8 * 1024 * 1024;

type Unverified = Extract<InventoryEvidence, { status: 'unverified' }>;

/**
 * Finds the bucket's S3 Inventory report that describes the period (the first delivered at or
 * after its end, within the window; among configurations that include EncryptionStatus), verifies
 * it and counts objects and bytes per encryption status. No report in the window is 'missing' with
 * the stale reports named; anything that cannot be fully read or verified makes the result
 * 'unverified' with the problems named; counts are then not given at all.
 */
export async function collectInventory(args: CollectInventoryArgs): Promise<InventoryEvidence> {
  const evidence = await findAndReadReport(args);
  // The export path belongs to this collector: never leave a list there that the evidence does not vouch for.
  if (evidence.status !== 'ok') await rm(args.unencryptedCsvPath, { force: true });
  return evidence;
}

async function findAndReadReport(args: CollectInventoryArgs): Promise<InventoryEvidence> {
  const { trees, bucket, window } = args;
  if (trees.length === 0) {
    return {
      bucket,
      status: 'missing',
      cause: 'not_configured',
      reason: 'no S3 Inventory location is configured for this tenant',
    };
  }
  const { found, failures } = await listReportFolders(trees, bucket);
  if (failures.length > 0) {
    return {
      bucket,
      status: 'unverified',
      reason: 'an inventory location could not be listed, so the report for the period cannot be known',
      problems: failures.map((f) => ({ file: f.location, message: f.message })),
    };
  }

  if (found.length === 0) {
    const where = trees.map((t) => t.locate(`${bucket}/`)).join(', ');
    return {
      bucket,
      status: 'missing',
      cause: 'not_delivered',
      reason: `no S3 Inventory report for bucket ${bucket} (looked in ${where})`,
    };
  }

  const allDates = uniqueSorted(found.map((r) => r.reportDate));
  const candidates = chooseReports(found, trees, window);
  const staleOf = (reports: ReportFolder[]) =>
    nearestStale(reports, trees, window).map((r) => ({
      configId: r.configId,
      reportDate: r.reportDate,
      location: r.tree.locate(manifestPath(bucket, r)),
      why: staleBecause(r.reportDate, window),
    }));
  const named = (stale: ReturnType<typeof staleOf>) => stale.map((r) => `${r.location} ${r.why}`).join('; ');
  if (candidates.length === 0) {
    const stale = staleOf(found);
    return {
      bucket,
      status: 'missing',
      cause: 'stale',
      reason: `no S3 Inventory report for bucket ${bucket} describes period ${window.period.label} (${describeWindow(window)}); stale: ${named(stale)}`,
      staleReports: stale,
      otherReportDates: allDates,
    };
  }

  const withoutStatus: string[] = [];
  for (const report of candidates) {
    const read = await readManifest(bucket, report);
    if ('problems' in read) {
      return {
        bucket,
        configId: report.configId,
        reportDate: report.reportDate,
        manifestLocation: read.location,
        ...(read.sha256 ? { manifestSha256: read.sha256 } : {}),
        status: 'unverified',
        reason: 'the report manifest could not be read or verified',
        problems: read.problems.map((message) => ({ file: read.location, message })),
      };
    }
    if (!schemaHasEncryptionStatus(read.manifest)) {
      withoutStatus.push(report.configId);
      continue;
    }
    return readReport(args, report, read);
  }

  // Configurations with no report in the window may still have stale ones: name them too.
  const stale = staleOf(found.filter((r) => !candidates.some((c) => c.tree === r.tree && c.configId === r.configId)));
  const otherDates = allDates.filter((d) => !candidates.some((c) => c.reportDate === d));
  return {
    bucket,
    status: 'missing',
    cause: 'no_encryption_status',
    reason:
      `the S3 Inventory configuration(s) ${list(uniqueSorted(withoutStatus))} for bucket ${bucket} do not include ` +
      'the EncryptionStatus field, so they cannot show which objects are encrypted' +
      (stale.length > 0 ? `; no other report describes period ${window.period.label}, stale: ${named(stale)}` : ''),
    ...(stale.length > 0 ? { staleReports: stale } : {}),
    ...(otherDates.length > 0 ? { otherReportDates: otherDates } : {}),
  };
}

interface ManifestRead {
  manifest: InventoryManifest;
  location: string;
  sha256: string;
}

async function readManifest(
  bucket: string,
  report: ReportFolder,
): Promise<ManifestRead | { problems: string[]; location: string; sha256?: string }> {
  const path = manifestPath(bucket, report);
  const location = report.tree.locate(path);
  let bytes: Buffer;
  try {
    bytes = await readAll(await report.tree.open(path));
  } catch (err) {
    const problem = isTreeNotFound(err) ? `manifest.json is missing (${err.code})` : errorText(err);
    return { problems: [problem], location };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // Every problem of the manifest is named: one of the wrong shape whose checksum fails too is both.
  const problems: string[] = [];
  const parsed = parseManifest(bytes.toString('utf8'));
  if ('error' in parsed) problems.push(`${UNREADABLE}: manifest.json is ${parsed.error}`);
  else if (parsed.manifest.sourceBucket !== bucket)
    problems.push(`manifest is for bucket ${parsed.manifest.sourceBucket}, not ${bucket}`);

  // manifest.checksum holds the MD5 of manifest.json.
  const checksumPath = manifestChecksumPath(bucket, report);
  try {
    const expected = (await readAll(await report.tree.open(checksumPath))).toString('utf8').trim().toLowerCase();
    const actual = createHash('md5').update(bytes).digest('hex');
    if (expected !== actual) problems.push(`MD5 of manifest.json is ${actual}, manifest.checksum says ${expected}`);
  } catch (err) {
    // S3 Inventory always delivers manifest.checksum with manifest.json; without it the manifest is unchecked.
    problems.push(
      isTreeNotFound(err)
        ? 'manifest.checksum is missing beside manifest.json, so the manifest cannot be checked'
        : `manifest.checksum: ${errorText(err)}`,
    );
  }
  if (problems.length > 0 || 'error' in parsed) return { problems, location, sha256 };
  return { manifest: parsed.manifest, location, sha256 };
}

async function readReport(
  args: CollectInventoryArgs,
  report: ReportFolder,
  read: ManifestRead,
): Promise<InventoryEvidence> {
  const { bucket } = args;
  const { manifest } = read;
  const csv = isCsvFormat(manifest.fileFormat);
  const parquet = isParquetFormat(manifest.fileFormat);
  const fileSchema = csv
    ? parseCsvFileSchema(manifest.fileSchema)
    : (parseTypedFileSchema(manifest.fileSchema) ?? [manifest.fileSchema]);
  const ref = {
    bucket,
    configId: report.configId,
    reportDate: report.reportDate,
    manifestLocation: read.location,
    manifestSha256: read.sha256,
    fileFormat: manifest.fileFormat,
    fileSchema,
    ...(manifest.creationTimestamp !== undefined ? { creationTimestamp: String(manifest.creationTimestamp) } : {}),
  };
  const unverified = (reason: string, problems: InventoryProblem[]): Unverified => ({
    ...ref,
    status: 'unverified',
    reason,
    problems,
  });

  if (args.sql) return readReportWithSql(args, args.sql, report, read, ref, unverified);
  if (isOrcFormat(manifest.fileFormat)) {
    return unverified(ORC_INVENTORY, [{ file: read.location, message: `fileFormat is ORC: ${ORC_INVENTORY}` }]);
  }
  if (!csv && !parquet) {
    const reason = `fileFormat ${manifest.fileFormat} is not an S3 Inventory format (CSV, Parquet or ORC)`;
    return unverified(reason, [{ file: read.location, message: reason }]);
  }
  const layout = columnLayout(fileSchema);
  const needed = csv ? ['Key', 'Size'] : ['key', 'size'];
  const absent = needed.filter((c) => !fileSchema.includes(c));
  if (absent.length > 0) {
    const reason = `the report has no ${absent.join(' or ')} column, so object and byte counts cannot be made`;
    return unverified(reason, [{ file: read.location, message: `fileSchema lacks ${absent.join(', ')}` }]);
  }

  const exportFile = await ExportFile.create(args.unencryptedCsvPath);
  try {
    const largestN = args.largestN ?? 20;
    const totals = new InventoryTotals(exportFile, largestN);
    const files: InventoryDataFile[] = [];
    const problems: InventoryProblem[] = [];
    const pool = args.workers === 'in-process' ? undefined : (args.workers ?? sharedScanPool());
    const local = report.tree.local;
    const reportBytes = manifest.files.reduce((n, f) => n + f.size, 0);
    if (pool && local && reportBytes >= (args.workersFromBytes ?? WORKERS_FROM_BYTES)) {
      const read = await readDataFilesInWorkers({
        pool,
        exportFile,
        totals,
        files: manifest.files.map((file) => ({ file, treePath: dataFileTreePath(file.key, bucket, report.configId) })),
        task: { format: parquet ? 'parquet' : 'csv', tree: local, layout, bucket, largestN },
      });
      files.push(...read.records);
      problems.push(...read.problems);
    } else {
      // The Parquet reader (hyparquet and its decompressors) is loaded only for a Parquet report.
      const readParquetDataFile = parquet ? (await import('./parquet-data-file.js')).readParquetDataFile : undefined;
      for (const file of manifest.files) {
        const treePath = dataFileTreePath(file.key, bucket, report.configId);
        const result = readParquetDataFile
          ? await readParquetDataFile({ tree: report.tree, treePath, file, totals, bucket })
          : await readDataFile({ tree: report.tree, treePath, file, layout, totals, bucket });
        files.push(result.record);
        problems.push(...result.problems);
      }
    }
    if (problems.length > 0) {
      await exportFile.discard();
      const badFiles = new Set(problems.map((p) => p.file)).size;
      return unverified(
        `${problems.length} problem(s) in ${badFiles} file(s) of the report; its counts are not used`,
        problems,
      );
    }
    await exportFile.commit();
    return {
      ...ref,
      status: 'ok',
      files,
      tally: totals.tally(),
      deleteMarkers: totals.deleteMarkers,
      unknownStatus: { ...totals.unknownStatus },
      includesVersions: fileSchema.includes(csv ? 'VersionId' : 'version_id'),
      unencryptedExport: { file: args.unencryptedCsvRelative, rows: exportFile.rows },
      largestUnencrypted: totals.largest.list,
      ...(totals.oldestUnencrypted ? { oldestUnencryptedLastModified: totals.oldestUnencrypted } : {}),
    };
  } catch (err) {
    await exportFile.discard();
    throw err;
  }
}

/** The report counted by SQL (engine: athena); a query that fails makes the report unverified with its reason. */
async function readReportWithSql(
  args: CollectInventoryArgs,
  sql: SqlEngine,
  report: ReportFolder,
  read: ManifestRead,
  ref: InventoryReportRef,
  unverified: (reason: string, problems: InventoryProblem[]) => Unverified,
): Promise<InventoryEvidence> {
  const { bucket } = args;
  const { manifest } = read;
  const format = isCsvFormat(manifest.fileFormat)
    ? 'csv'
    : isParquetFormat(manifest.fileFormat)
      ? 'parquet'
      : isOrcFormat(manifest.fileFormat)
        ? 'orc'
        : undefined;
  if (format === undefined) {
    const reason = `fileFormat ${manifest.fileFormat} is not an S3 Inventory format (CSV, Parquet or ORC)`;
    return unverified(reason, [{ file: read.location, message: reason }]);
  }
  const needed = format === 'csv' ? ['Key', 'Size'] : ['key', 'size'];
  const absent = needed.filter((c) => !ref.fileSchema.includes(c));
  if (absent.length > 0) {
    const reason = `the report has no ${absent.join(' or ')} column, so object and byte counts cannot be made`;
    return unverified(reason, [{ file: read.location, message: `fileSchema lacks ${absent.join(', ')}` }]);
  }
  const queriesBefore = sql.queries.length;
  const queries = () => sql.queries.slice(queriesBefore);
  const exportFile = await ExportFile.create(args.unencryptedCsvPath);
  try {
    const totals = new InventoryTotals(exportFile, args.largestN ?? 20);
    const problems = await countInventoryWithSql({
      engine: sql,
      totals,
      table: {
        format,
        fileSchema: ref.fileSchema,
        configLocation: report.tree.locate(`${bucket}/${report.configId}/`),
        dt: report.folder.replace(/T(\d\d)-(\d\d)Z$/, '-$1-$2'),
        dataFiles: manifest.files.map((f) => f.key),
        bucket,
        configId: report.configId,
      },
    });
    if (problems.length > 0) {
      await exportFile.discard();
      return {
        ...unverified(`${problems.length} problem(s) in the report's rows; its counts are not used`, problems),
        sqlQueries: queries(),
      };
    }
    await exportFile.commit();
    return {
      ...ref,
      status: 'ok',
      // The data files were read by the engine, not here: their MD5 checksums are not verified.
      files: [],
      tally: totals.tally(),
      deleteMarkers: totals.deleteMarkers,
      unknownStatus: { ...totals.unknownStatus },
      includesVersions: ref.fileSchema.includes(format === 'csv' ? 'VersionId' : 'version_id'),
      unencryptedExport: { file: args.unencryptedCsvRelative, rows: exportFile.rows },
      largestUnencrypted: totals.largest.list,
      ...(totals.oldestUnencrypted ? { oldestUnencryptedLastModified: totals.oldestUnencrypted } : {}),
      sqlQueries: queries(),
    };
  } catch (err) {
    await exportFile.discard();
    if (err instanceof QueryFailed) {
      return {
        ...unverified(`the ${sql.dialect.name} query could not be read: ${err.message}`, [
          { file: read.location, message: err.message },
        ]),
        sqlQueries: queries(),
      };
    }
    throw err;
  }
}

/** A manifest (or its checksum) is held whole: past WHOLE_FILE_MAX_BYTES it is refused, not buffered. */
async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > WHOLE_FILE_MAX_BYTES) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new Error(`larger than the ${WHOLE_FILE_MAX_BYTES}-byte limit for a manifest`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function list(values: string[]): string {
  return values.join(', ');
}
