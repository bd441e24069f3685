import { readFileSync } from 'node:fs';

/**
 * This process's own peak resident set size, in bytes, all threads. On Linux that is VmHWM from
 * /proc/self/status: `process.resourceUsage().maxRSS` carries over across fork and exec, so a process
 * the bench spawns would report at least the bench's own RSS at the time (a child spawned from a
 * 400 MB parent reports 404 MB where its VmHWM says 39 MB). Elsewhere, maxRSS is what there is.
 */
export function ownPeakRssBytes(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // Not Linux: no /proc.
  }
  return process.resourceUsage().maxRSS * 1024;
}
