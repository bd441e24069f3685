/** What a command prints and exits with once its packets are made or have failed. */
import { ConfigError } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import { ExceptionsFileError } from '../../analyze/exceptions/register.js';
import { BaselineFileError } from '../../baseline/store.js';
import type { Phase, PhaseTimings } from '../../pipeline/phase-times.js';
import type { TenantRunResult } from '../../pipeline/run-tenant.js';
import { TOOL } from '../../tool.js';
import { EXIT } from '../exit-codes.js';
import { runtimeNotice } from '../runtime.js';
import { evidenceState } from '../../format/evidence-state.js';

/** A tenant whose packet could not be made; the others' packets are made all the same. */
export interface TenantFailure {
  tenant: string;
  period: string;
  /** expected: a file the operator keeps is wrong (register, baseline store, configuration): exit 2. */
  kind: 'expected' | 'unexpected';
  reason: string;
}

/** Errors that name a file and field the operator can fix; anything else is a bug or a broken machine. */
export function isExpectedError(err: unknown): err is Error {
  return (
    err instanceof ConfigError ||
    err instanceof UsageError ||
    err instanceof ExceptionsFileError ||
    err instanceof BaselineFileError
  );
}

export function tenantFailure(tenant: string, period: string, err: unknown): TenantFailure {
  if (isExpectedError(err)) return { tenant, period, kind: 'expected', reason: err.message };
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { tenant, period, kind: 'unexpected', reason };
}

function exitCodeFor(results: Array<{ complete: boolean }>, failures: TenantFailure[] = []): number {
  if (failures.some((f) => f.kind === 'unexpected')) return EXIT.unexpected;
  if (failures.length > 0) return EXIT.usage;
  return results.every((r) => r.complete) ? EXIT.complete : EXIT.incomplete;
}

/** A phase's name on the summary line: what the progress bars call it. */
const PHASE_NAME: Record<Phase, string> = {
  collectGovernance: 'baseline',
  connect: 'connect',
  collectBuckets: 'buckets',
  collectKeys: 'keys',
  collectInventory: 'inventory',
  collectLogs: 'logs',
  collectConfig: 'AWS Config',
  analyze: 'analyze',
  render: 'render',
  write: 'write',
  checkpoint: 'checkpoint',
};

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** `12.3 s: buckets 10.3, …`: the run's time and where it went, phase by phase in the order they ran. */
function timeText(timings: PhaseTimings): string {
  const phases = Object.entries(timings) as Array<[Phase, number]>;
  const total = phases.reduce((n, [, ms]) => n + ms, 0);
  return `${seconds(total)} s: ${phases.map(([phase, ms]) => `${PHASE_NAME[phase]} ${seconds(ms)}`).join(', ')}`;
}

/** The one line a tenant's packet gets in the text summary. */
function summaryLine(r: TenantRunResult): string {
  const state = evidenceState(r.complete, r.missing);
  return (
    `${r.tenant} ${r.period}: ${r.provisional ? 'PROVISIONAL ' : ''}${r.status.toUpperCase()}, ` +
    `${r.failingControls} failing control(s), evidence ${state}, ${r.folder}` +
    (r.earlierRevision ? `, earlier packet kept as ${r.earlierRevision}` : '') +
    (r.resumed?.packet ? ', finished by the interrupted run (verified)' : '') +
    (r.resumed?.sources ? `, resumed: ${r.resumed.sources.join(', ')} from checkpoints` : '') +
    (r.timings && Object.keys(r.timings).length > 0 ? ` (${timeText(r.timings)})` : '')
  );
}

function failureLine(f: TenantFailure): string {
  return `${f.tenant} ${f.period}: FAILED, no packet (${f.kind === 'expected' ? 'fix the file named' : 'unexpected error'}): ${f.reason}`;
}

/** A packet that needs no one's attention: --quiet prints nothing for it. */
function needsNoAttention(r: TenantRunResult): boolean {
  return r.complete && r.status === 'compliant' && !r.provisional;
}

export function report(
  results: TenantRunResult[],
  opts: { json?: boolean; quiet?: boolean },
  extra: Record<string, unknown> = {},
  failures: TenantFailure[] = [],
  exitPolicy: (code: number) => number = (code) => code,
): number {
  const code = exitPolicy(exitCodeFor(results, failures));
  const notice = runtimeNotice();
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({ tool: TOOL, exitCode: code, ...(notice ? { runtime: { node: process.version, notice } } : {}), ...extra, packets: results, ...(failures.length > 0 ? { failures } : {}) }, null, 2)}\n`,
    );
  } else {
    // On a terminal only: a scheduled run's output stays its summary lines.
    if (notice && process.stderr.isTTY && !opts.quiet) process.stderr.write(`s3-evidence: note: ${notice}\n`);
    for (const r of results) if (!opts.quiet || !needsNoAttention(r)) process.stdout.write(`${summaryLine(r)}\n`);
    for (const f of failures) process.stdout.write(`${failureLine(f)}\n`);
  }
  return code;
}
