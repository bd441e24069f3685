/**
 * How a run shows its progress (`--progress auto|tty|json|none`): bars on a terminal (cli-progress), one
 * timestamped JSON line per change for log collectors, or nothing. `auto` is bars when stderr is a
 * terminal and nothing otherwise, so a scheduled run's output is its summary lines alone.
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import { formatBytes } from '../format/bytes.js';
import type { ProgressEvent, ProgressPhase, ProgressSink } from '../pipeline/progress.js';
import { UsageError } from '../errors.js';

const PROGRESS_MODES = ['auto', 'tty', 'json', 'none'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

export function parseProgressMode(value: string): ProgressMode {
  if ((PROGRESS_MODES as readonly string[]).includes(value)) return value as ProgressMode;
  throw new UsageError(`--progress "${value}" is not one of ${PROGRESS_MODES.join(', ')}`);
}

interface ProgressStream extends NodeJS.WritableStream {
  isTTY?: boolean;
}

export interface ProgressOutput {
  sink: ProgressSink;
  /** Ends the display (bars stay on screen as they ended); called before the summary is printed. */
  close(): void;
}

const LABEL: Record<ProgressPhase, string> = {
  prepare: 'prepare',
  connect: 'connect',
  buckets: 'buckets',
  keys: 'keys',
  inventory: 'inventory',
  logs: 'logs',
  awsConfig: 'AWS Config',
  governance: 'baseline',
  analyze: 'analyze',
  render: 'render',
  write: 'write',
  checkpoint: 'checkpoint',
};

/** What a phase counts, for the text beside its bar. */
const UNIT: Partial<Record<ProgressPhase, string>> = {
  buckets: 'buckets',
  keys: 'keys',
  inventory: 'reports',
  logs: 'files',
  awsConfig: 'regions',
};

/** The latest counts of one tenant's phase: events are partial updates, merged here. */
interface PhaseState {
  done?: number;
  total?: number;
  bytes?: number;
  detail?: string;
  ended: boolean;
}

function merge(state: PhaseState | undefined, e: ProgressEvent): PhaseState {
  return {
    ...state,
    ...(e.done !== undefined ? { done: e.done } : {}),
    ...(e.total !== undefined ? { total: e.total } : {}),
    ...(e.bytes !== undefined ? { bytes: e.bytes } : {}),
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
    // A phase that runs more than once (a checkpoint after each source) is under way again when it starts.
    ended: e.state === 'end' ? true : e.state === 'start' ? false : (state?.ended ?? false),
  };
}

function countsText(phase: ProgressPhase, s: PhaseState): string {
  const parts: string[] = [];
  const unit = UNIT[phase];
  if (s.done !== undefined)
    parts.push(`${s.done}${s.total !== undefined ? `/${s.total}` : ''}${unit ? ` ${unit}` : ''}`);
  if (s.bytes !== undefined) parts.push(formatBytes(s.bytes));
  if (s.detail) parts.push(s.detail);
  if (s.ended) parts.push('done');
  return parts.join(', ');
}

/** One JSON line per event (a phase's updates at most every `intervalMs`), each with its wall-clock time. */
function jsonLines(stream: ProgressStream, now: () => Date, intervalMs: number): ProgressOutput {
  const states = new Map<string, PhaseState>();
  const lastWritten = new Map<string, number>();
  return {
    sink(e) {
      const id = `${e.tenant}|${e.period}|${e.phase}`;
      const state = merge(states.get(id), e);
      states.set(id, state);
      const at = now();
      if (e.state === 'update' && at.getTime() - (lastWritten.get(id) ?? -Infinity) < intervalMs) return;
      lastWritten.set(id, at.getTime());
      const { ended: _ended, ...counts } = state;
      stream.write(
        `${JSON.stringify({ time: at.toISOString(), event: 'progress', tenant: e.tenant, period: e.period, phase: e.phase, state: e.state, ...counts })}\n`,
      );
    },
    close() {},
  };
}

/** Bars on a terminal: one per phase of each tenant's packet, as the phase starts. */
function bars(stream: ProgressStream): ProgressOutput {
  const multi = new MultiBar({
    stream,
    format: '{who} {label} [{bar}] {counts}',
    barsize: 24,
    barCompleteChar: '\u2588',
    barIncompleteChar: '\u2591',
    hideCursor: true,
    clearOnComplete: false,
    stopOnComplete: false,
    autopadding: true,
    fps: 10,
    // --progress tty on something that is not a terminal (a file, a pipe) still shows the bars.
    noTTYOutput: !stream.isTTY,
    notTTYSchedule: 1000,
  });
  const open = new Map<string, { bar: SingleBar; state: PhaseState }>();
  return {
    sink(e) {
      const id = `${e.tenant}|${e.period}|${e.phase}`;
      const entry = open.get(id);
      const state = merge(entry?.state, e);
      // A phase without a known total fills its bar when it ends.
      const total = state.total ?? 1;
      const value = state.ended ? total : Math.min(state.done ?? 0, total);
      const payload = {
        who: `${e.tenant} ${e.period}`,
        label: LABEL[e.phase].padEnd(10),
        counts: countsText(e.phase, state),
      };
      if (!entry) {
        open.set(id, { bar: multi.create(total, value, payload), state });
        return;
      }
      entry.state = state;
      entry.bar.setTotal(total);
      entry.bar.update(value, payload);
    },
    close() {
      multi.stop();
    },
  };
}

export function progressOutput(
  mode: ProgressMode,
  opts: { stream?: ProgressStream; now?: () => Date; intervalMs?: number } = {},
): ProgressOutput | undefined {
  const stream = opts.stream ?? process.stderr;
  const chosen = mode === 'auto' ? (stream.isTTY ? 'tty' : 'none') : mode;
  if (chosen === 'none') return undefined;
  if (chosen === 'json') return jsonLines(stream, opts.now ?? (() => new Date()), opts.intervalMs ?? 1000);
  return bars(stream);
}
