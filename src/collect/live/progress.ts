import type { CollectProgress } from '../collect-tenant.js';

interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Reports collectTenant's progress: one rewritten status line on a TTY, JSON lines otherwise
 * (at most one per `intervalMs` per phase, plus the first and last of each phase).
 */
export function progressReporter(
  tenant: string,
  opts: { stream?: ProgressStream; now?: () => number; intervalMs?: number } = {},
): { onProgress: (p: CollectProgress) => void; finish: () => void } {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const interval = opts.intervalMs ?? (stream.isTTY ? 100 : 1000);
  let lastPhase = '';
  let lastAt = -Infinity;
  let lineOpen = false;

  const onProgress = (p: CollectProgress) => {
    const t = now();
    const boundary = p.phase !== lastPhase || p.done === 1 || p.done === p.total;
    if (!boundary && t - lastAt < interval) return;
    lastPhase = p.phase;
    lastAt = t;
    if (stream.isTTY) {
      stream.write(`\r\x1b[2K${tenant}: ${p.phase} ${p.done}/${p.total} (account ${p.account})`);
      lineOpen = true;
    } else {
      stream.write(
        `${JSON.stringify({ event: 'progress', tenant, phase: p.phase, done: p.done, total: p.total, account: p.account })}\n`,
      );
    }
  };
  const finish = () => {
    if (lineOpen) stream.write('\n');
    lineOpen = false;
  };
  return { onProgress, finish };
}
