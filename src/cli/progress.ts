import type { CollectProgress } from '../collect/collect-tenant.js';

export interface ProgressReporter {
  update: (p: CollectProgress & { tenant: string }) => void;
  done: () => void;
}

/** One rewritten status line on a TTY; silent otherwise, so logs and cron mail stay clean. */
export function progressReporter(stream: NodeJS.WriteStream): ProgressReporter {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let shown = false;
  return {
    update(p) {
      shown = true;
      stream.write(`\r\x1b[2K${p.tenant}: ${p.phase} ${p.done}/${p.total} (account ${p.account})`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
