import type { LogProblem, SkippedSummary } from '../../evidence/log-scans.js';

/** `file` made absolute against the tree it came from (several trees may feed one section). */
export function locatedIn(location: string, problem: LogProblem): LogProblem {
  return { ...problem, file: locateFile(location, problem.file) };
}

/** A tree-relative path joined to the tree's location (unchanged when already absolute or the location itself). */
export function locateFile(location: string, file: string): string {
  if (file === location || file.startsWith('s3://') || file.startsWith('/')) return file;
  return location.endsWith('/') ? `${location}${file}` : `${location}/${file}`;
}

export function mergeSkipped(
  parts: Array<{ location: string; skipped: SkippedSummary }>,
  maxSamples = 50,
): SkippedSummary {
  const samples: LogProblem[] = [];
  let count = 0;
  for (const p of parts) {
    count += p.skipped.count;
    for (const s of p.skipped.samples) if (samples.length < maxSamples) samples.push(locatedIn(p.location, s));
  }
  return { count, samples };
}
