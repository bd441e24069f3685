/**
 * What a run prints: a cron-style run (no terminal) prints one summary line per tenant and nothing on
 * stderr; --quiet only the packets that need attention; --progress json timestamped lines for every
 * phase; under a pseudo-terminal, bars for every phase.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { captured, cli } from '../support/cli.js';
import { bundledCli, runUnderPty } from '../support/cli-process.js';
import { demoWorkspace } from '../support/demo-workspace.js';

let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let cfg: string;
const run = (...extra: string[]) => ['run', '--config', cfg, '--period', '2026-10', '--out', ws.out, ...extra];

beforeAll(async () => {
  ws = await demoWorkspace();
  cfg = path.join(ws.root, 'config', 'demo.yaml');
}, 60_000);
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** The run's time, then each phase's in the order they ran (an offline run connects to nothing). */
const PHASE_NAMES = [
  'baseline',
  'buckets',
  'keys',
  'inventory',
  'logs',
  'AWS Config',
  'analyze',
  'render',
  'write',
  'checkpoint',
];
const TIME = `(\\d+\\.\\d) s: ${PHASE_NAMES.map((p) => `${p} (\\d+\\.\\d)`).join(', ')}`;

/** The phases' seconds add up to the total shown, give or take their rounding. */
function phasesAddUp(line: string): void {
  const [total, ...phases] = new RegExp(`${TIME}\\)$`).exec(line)!.slice(1).map(Number);
  const sum = phases.reduce((n, s) => n + s, 0);
  expect(Math.abs(sum - total!)).toBeLessThanOrEqual(0.05 * (phases.length + 1));
}

const SUMMARY = (tenant: string, status: string, evidence: string) =>
  new RegExp(
    `^${tenant} 2026-10: ${status}, \\d+ failing control\\(s\\), evidence ${evidence}, ${path.join(ws.out, '2026-10', tenant).replace(/[.]/g, '\\.')}(, earlier packet kept as \\.revisions/${tenant}-\\d{8}T\\d{6}Z)? \\(${TIME}\\)$`,
  );

describe('a cron-style run (stdout and stderr not a terminal)', () => {
  it('prints one summary line per tenant and nothing else, on stdout only', async () => {
    expect(await cli(...run())).toBe(3);
    expect(captured.err).toBe('');
    const lines = captured.out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(SUMMARY('northwind', 'COMPLIANT', 'complete'));
    expect(lines[1]).toMatch(SUMMARY('acme', 'ATTENTION', 'complete'));
    expect(lines[2]).toMatch(SUMMARY('globex', 'INCOMPLETE', 'INCOMPLETE \\(4 missing\\)'));
    for (const line of lines) phasesAddUp(line);
  }, 120_000);

  it('--quiet prints only the packets that need attention', async () => {
    expect(await cli(...run('--quiet'))).toBe(3);
    expect(captured.err).toBe('');
    const lines = captured.out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(SUMMARY('acme', 'ATTENTION', 'complete'));
    expect(lines[1]).toMatch(SUMMARY('globex', 'INCOMPLETE', 'INCOMPLETE \\(4 missing\\)'));
    expect(await cli(...run('--quiet', '--tenant', 'northwind'))).toBe(0);
    expect(captured.out).toBe('');
  }, 120_000);
});

interface ProgressLine {
  time: string;
  event: string;
  tenant: string;
  period: string;
  phase: string;
  state: string;
  done?: number;
  total?: number;
  bytes?: number;
}

describe('--progress json', () => {
  let events: ProgressLine[];
  beforeAll(async () => {
    expect(await cli(...run('--tenant', 'acme', '--progress', 'json'))).toBe(0);
    events = captured.err
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as ProgressLine);
  }, 120_000);

  it('every line is a progress event with an ISO time, in time order', () => {
    expect(events.length).toBeGreaterThan(10);
    for (const e of events) {
      expect(e.event).toBe('progress');
      expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect([e.tenant, e.period]).toEqual(['acme', '2026-10']);
    }
    const times = events.map((e) => Date.parse(e.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('reports every phase of the packet, start and end, with the counts it has', () => {
    const ends = new Map(events.filter((e) => e.state === 'end').map((e) => [e.phase, e]));
    expect([...ends.keys()].sort()).toEqual(
      [
        'analyze',
        'awsConfig',
        'buckets',
        'checkpoint',
        'governance',
        'inventory',
        'keys',
        'logs',
        'render',
        'write',
      ].sort(),
    );
    // A checkpoint after each source collected (accounts, logs, AWS Config), each started and ended.
    expect(events.filter((e) => e.phase === 'checkpoint').map((e) => e.state)).toEqual([
      'start',
      'end',
      'start',
      'end',
      'start',
      'end',
    ]);
    // acme's export: 3 buckets in scope, 3 customer keys (alias/acme-app, the imported-material
    // alias/acme-payments-byok and the lakehouse table bucket's alias/acme-lakehouse), 3 inventory
    // reports read, its access logs and trail files.
    expect(ends.get('buckets')).toMatchObject({ done: 3, total: 3 });
    expect(ends.get('keys')).toMatchObject({ done: 3, total: 3 });
    expect(ends.get('inventory')).toMatchObject({ done: 3, total: 3 });
    expect(ends.get('inventory')!.bytes).toBeGreaterThan(0);
    expect(ends.get('logs')!.done).toBeGreaterThan(0);
    expect(ends.get('logs')!.bytes).toBeGreaterThan(0);
    for (const phase of ends.keys()) {
      const first = events.findIndex((e) => e.phase === phase);
      expect(events[first]!.state === 'start' || events[first]!.state === 'update').toBe(true);
    }
    // The summary still goes to stdout.
    expect(captured.out.trimEnd()).toMatch(SUMMARY('acme', 'ATTENTION', 'complete'));
  });
});

describe('demo --progress json', () => {
  it('says what it does from its start: the first event is the preparation, before any packet', async () => {
    const out = path.join(ws.root, 'demo-out');
    expect(await cli('demo', '--out', out, '--progress', 'json', '--quiet')).toBe(0);
    // --quiet wins over --progress: nothing on stderr, and only the two packets that need attention.
    expect(captured.err).toBe('');
    expect(await cli('demo', '--out', out, '--progress', 'json')).toBe(0);
    const events = captured.err
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as ProgressLine & { detail?: string });
    expect(events[0]).toMatchObject({ tenant: 'demo', phase: 'prepare', state: 'start' });
    expect(events[0]!.detail).toBe('writing the 2026-09 offline exports');
    const prepareEnd = events.findIndex((e) => e.phase === 'prepare' && e.state === 'end');
    const firstOctober = events.findIndex((e) => e.period === '2026-10' && e.tenant !== 'demo');
    expect(events.slice(1, prepareEnd).some((e) => e.period === '2026-09' && e.phase === 'buckets')).toBe(true);
    expect(prepareEnd).toBeLessThan(firstOctober);
  }, 240_000);
});

describe('under a pseudo-terminal', () => {
  let bundle: string;
  beforeAll(async () => {
    bundle = await bundledCli();
  });
  afterAll(() => rmSync(path.dirname(bundle), { recursive: true, force: true }));

  it('auto shows a filled bar for every phase, then the summary line', () => {
    const r = runUnderPty(bundle, run('--tenant', 'acme'));
    expect(r.status).toBe(0);
    const screen = r.stdout;
    // A bar per phase, the checkpoint's too (it runs after each source; its bar ends with the last).
    for (const label of PHASE_NAMES)
      expect(screen, label).toMatch(new RegExp(`acme 2026-10 ${label} +\\[█{24}\\] [^\\n]*done`));
    expect(screen).toMatch(/acme 2026-10 inventory +\[█{24}\] 3\/3 reports, [\d.]+ [KMG]?B, done/);
    // Cursor movement: the bars are redrawn in place, not printed as lines.
    expect(screen).toContain('\u001b[?25l');
    expect(screen).toMatch(/acme 2026-10: ATTENTION, \d+ failing control\(s\), evidence complete, /);
  }, 120_000);

  it('--progress none and --quiet show no bar', () => {
    const r = runUnderPty(bundle, run('--tenant', 'acme', '--progress', 'none'));
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('█');
    // On Node 20 the one runtime notice comes first (see src/cli/runtime.ts); nothing else precedes the summary.
    const lines = r.stdout.trim().split(/\r?\n/);
    const summary = lines.filter((line) => !line.startsWith('s3-evidence: note: Node v'));
    expect(summary.length).toBeGreaterThanOrEqual(lines.length - 1);
    expect(summary.join('\n')).toMatch(/^acme 2026-10: ATTENTION/);
  }, 120_000);
});
