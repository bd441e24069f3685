import type { CloudTrailScan } from '../../evidence/log-scans.js';
import type { TreeReader } from '../tree/tree.js';
import { utcDaysAround } from '../../format/zone-day.js';
import { errorMessage, forEachPrefetched, readWholeLogFile } from '../access-logs/read-log-file.js';
import { SkippedLines } from '../access-logs/skipped-lines.js';
import { dayFolder, findTrailFolders, isTrailLogFile } from './cloudtrail-paths.js';
import { CloudTrailRecordReader, type KmsEventIdWatch } from './record-reader.js';

export interface ScanCloudTrailOptions {
  period: { startUtc: string; endUtc: string; timeZone: string };
  /** Day folders read either side of the period (delivery lags events by minutes; records are then filtered by eventTime). Default 1. */
  marginDays?: number;
  /** Only these accounts' folders are read; default all. */
  accounts?: readonly string[];
  /** Files loaded (read + gunzipped) ahead of the one being parsed. Default 3. */
  prefetch?: number;
  /** LookupEvents' KMS event ids; those found in the trail files are noted, so LookupEvents' copies are left out. */
  watchKmsEventIds?: KmsEventIdWatch;
}

/** A scan that has read nothing yet (also what an unreadable tree reports, with its problem). */
export function emptyCloudTrailScan(location: string): CloudTrailScan {
  return {
    location,
    trails: [],
    filesListed: 0,
    filesRead: 0,
    recordsRead: 0,
    recordsInPeriod: 0,
    s3DataEvents: 0,
    s3DataEventsByBucketDay: {},
    denied: [],
    kmsEvents: 0,
    kmsTallies: [],
    kmsManagementEvents: [],
    skipped: { count: 0, samples: [] },
    problems: [],
  };
}

/** Reads the trail files of the period's day folders and extracts denied uploads, S3 coverage and KMS usage. */
export async function scanCloudTrail(tree: TreeReader, options: ScanCloudTrailOptions): Promise<CloudTrailScan> {
  const scan = emptyCloudTrailScan(tree.description);
  const days = utcDaysAround(options.period.startUtc, options.period.endUtc, options.marginDays ?? 1);
  const files: string[] = [];
  try {
    const found = await findTrailFolders(tree, options.accounts);
    for (const message of found.problems) scan.problems.push({ file: tree.description, message });
    for (const folder of found.folders) {
      let withFiles = 0;
      for (const day of days) {
        let any = false;
        for await (const entry of tree.list(`${folder.prefix}${dayFolder(day)}`)) {
          scan.filesListed++;
          if (!isTrailLogFile(entry.path)) continue;
          files.push(entry.path);
          any = true;
        }
        if (any) withFiles++;
      }
      scan.trails.push({ ...folder, dayFoldersRead: days.length, dayFoldersWithFiles: withFiles });
    }
  } catch (error) {
    scan.problems.push({ file: tree.description, message: `listing failed: ${errorMessage(error)}` });
  }
  files.sort();

  const reader = new CloudTrailRecordReader(options.period, new SkippedLines(), scan, options.watchKmsEventIds);
  await forEachPrefetched(
    files,
    options.prefetch ?? 3,
    (path) => readWholeLogFile(tree, path),
    (path, loaded) => {
      if (loaded.status === 'rejected') {
        scan.problems.push({ file: path, message: `unreadable: ${errorMessage(loaded.reason)}` });
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(loaded.value.toString('utf8'));
      } catch (error) {
        scan.problems.push({ file: path, message: `not JSON: ${errorMessage(error)}` });
        return;
      }
      const records = (parsed as { Records?: unknown } | null)?.Records;
      if (!Array.isArray(records)) {
        scan.problems.push({ file: path, message: 'no "Records" array' });
        return;
      }
      scan.filesRead++;
      reader.readRecords(path, records);
    },
  );
  reader.finish();
  return scan;
}
