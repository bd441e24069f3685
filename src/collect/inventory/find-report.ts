import type { TreeReader } from '../tree/index.js';
import { errorText } from './error-text.js';
import { reportFolderDate } from './manifest.js';
import { inWindow, type ReportWindow } from './report-window.js';

/** One delivered report: <source-bucket>/<config-id>/<YYYY-MM-DDTHH-MMZ>/ in one tree. */
export interface ReportFolder {
  tree: TreeReader;
  configId: string;
  /** Folder name, e.g. "2026-10-31T00-00Z". */
  folder: string;
  /** The same instant as ISO-8601, e.g. "2026-10-31T00:00:00Z". */
  reportDate: string;
}

export function manifestPath(bucket: string, report: ReportFolder): string {
  return `${bucket}/${report.configId}/${report.folder}/manifest.json`;
}

export function manifestChecksumPath(bucket: string, report: ReportFolder): string {
  return `${bucket}/${report.configId}/${report.folder}/manifest.checksum`;
}

/**
 * Every report folder for `bucket` in every tree ("data" and "hive" are not report folders), and
 * the trees that could not be listed.
 */
export async function listReportFolders(
  trees: TreeReader[],
  bucket: string,
): Promise<{ found: ReportFolder[]; failures: { location: string; message: string }[] }> {
  const found: ReportFolder[] = [];
  const failures: { location: string; message: string }[] = [];
  for (const tree of trees) {
    try {
      for (const configId of await tree.listChildren(`${bucket}/`)) {
        for (const folder of await tree.listChildren(`${bucket}/${configId}/`)) {
          const reportDate = reportFolderDate(folder);
          if (reportDate) found.push({ tree, configId, folder, reportDate });
        }
      }
    } catch (err) {
      failures.push({ location: tree.locate(`${bucket}/`), message: errorText(err) });
    }
  }
  return { found, failures };
}

/**
 * For each configuration (per tree), the report the window prefers (its first, or for a
 * provisional window its newest); those reports in the same order, then tree order, then config id.
 */
export function chooseReports(reports: ReportFolder[], trees: TreeReader[], window: ReportWindow): ReportFolder[] {
  const better = (a: ReportFolder, b: ReportFolder) =>
    window.prefer === 'earliest' ? a.reportDate < b.reportDate : a.reportDate > b.reportDate;
  const best = new Map<string, ReportFolder>();
  for (const r of reports) {
    if (!inWindow(r.reportDate, window)) continue;
    const id = `${trees.indexOf(r.tree)}\u0000${r.configId}`;
    const current = best.get(id);
    if (!current || better(r, current)) best.set(id, r);
  }
  const byDate = (a: ReportFolder, b: ReportFolder) =>
    window.prefer === 'earliest' ? compare(a.reportDate, b.reportDate) : compare(b.reportDate, a.reportDate);
  return [...best.values()].sort(
    (a, b) => byDate(a, b) || trees.indexOf(a.tree) - trees.indexOf(b.tree) || compare(a.configId, b.configId),
  );
}

/**
 * The stale reports nearest the window: the newest before it and the first after it (any
 * configuration; ties keep tree order, then config id), to name when no report is in the window.
 */
export function nearestStale(reports: ReportFolder[], trees: TreeReader[], window: ReportWindow): ReportFolder[] {
  const from = Date.parse(window.fromUtc);
  const order = (a: ReportFolder, b: ReportFolder) =>
    trees.indexOf(a.tree) - trees.indexOf(b.tree) || compare(a.configId, b.configId);
  const outside = reports.filter((r) => !inWindow(r.reportDate, window));
  const before = outside
    .filter((r) => Date.parse(r.reportDate) < from)
    .sort((a, b) => compare(b.reportDate, a.reportDate) || order(a, b));
  const after = outside
    .filter((r) => Date.parse(r.reportDate) >= from)
    .sort((a, b) => compare(a.reportDate, b.reportDate) || order(a, b));
  return [before[0], after[0]].filter((r): r is ReportFolder => r !== undefined);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
