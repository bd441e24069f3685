import type { TreeReader } from '../tree/index.js';
import { errorText } from './error-text.js';
import { reportFolderDate } from './manifest.js';

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
 * For each configuration (per tree), its latest report dated on or before `periodEndUtc`, latest
 * first; ties keep tree order, then config id order.
 */
export function latestPerConfig(reports: ReportFolder[], trees: TreeReader[], periodEndUtc: string): ReportFolder[] {
  const end = Date.parse(periodEndUtc);
  if (Number.isNaN(end)) throw new Error(`periodEndUtc "${periodEndUtc}" is not an ISO-8601 instant`);
  const best = new Map<string, ReportFolder>();
  for (const r of reports) {
    if (Date.parse(r.reportDate) > end) continue;
    const id = `${trees.indexOf(r.tree)}\u0000${r.configId}`;
    const current = best.get(id);
    if (!current || r.reportDate > current.reportDate) best.set(id, r);
  }
  return [...best.values()].sort(
    (a, b) =>
      compare(b.reportDate, a.reportDate) ||
      trees.indexOf(a.tree) - trees.indexOf(b.tree) ||
      compare(a.configId, b.configId),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
