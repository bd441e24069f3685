import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCK_FILE } from '../../src/operate/run-lock.js';
import { captured, cli } from '../support/cli.js';
import { demoWorkspace } from '../support/demo-workspace.js';

// A bug in the analysis that shows only on one tenant's evidence: a TypeError while building acme's packet.
vi.mock('../../src/analyze/build-packet.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/analyze/build-packet.js')>();
  return {
    ...real,
    analyzeEvidence: (input: Parameters<typeof real.analyzeEvidence>[0]) => {
      if (input.evidence.tenant.id === 'acme' && process.env.S3E_TEST_BREAK_ACME === '1')
        return (null as unknown as { x: () => never }).x();
      return real.analyzeEvidence(input);
    },
  };
});

let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let cfg: string;

interface Summary {
  exitCode: number;
  packets: Array<{ tenant: string; status: string; complete: boolean }>;
  failures?: Array<{ tenant: string; period: string; kind: string; reason: string }>;
  notes?: string[];
}

/** A pid that ran on this host and has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

beforeAll(async () => {
  ws = await demoWorkspace();
  cfg = path.join(ws.root, 'config', 'demo.yaml');
}, 60_000);
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

describe("one tenant's failure is that tenant's", () => {
  it('an unexpected error analyzing one tenant fails it, exit 1; the others are made', async () => {
    const out = path.join(ws.root, 'out-unexpected');
    process.env.S3E_TEST_BREAK_ACME = '1';
    let code: number;
    try {
      code = await cli('run', '--config', cfg, '--period', '2026-10', '--out', out, '--json');
    } finally {
      delete process.env.S3E_TEST_BREAK_ACME;
    }
    expect(code).toBe(1);
    const s = JSON.parse(captured.out) as Summary;
    expect(s.exitCode).toBe(1);
    expect(s.packets.map((p) => p.tenant)).toEqual(['northwind', 'globex']);
    expect(s.failures).toHaveLength(1);
    expect(s.failures![0]).toMatchObject({ tenant: 'acme', period: '2026-10', kind: 'unexpected' });
    expect(s.failures![0]!.reason).toBe("TypeError: Cannot read properties of null (reading 'x')");
    expect(captured.err).toContain('s3-evidence: acme: unexpected failure:');
    for (const t of ['northwind', 'globex']) expect(existsSync(path.join(out, '2026-10', t, 'packet.json'))).toBe(true);
    // Nothing half-made is left: no staging folder, no lock.
    expect(existsSync(path.join(out, LOCK_FILE))).toBe(false);
    expect(existsSync(path.join(out, '2026-10', 'acme'))).toBe(false);
    expect(
      readdirSync(path.join(out, '2026-10'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort(),
    ).toEqual(['globex', 'northwind']);
  }, 120_000);

  it('a broken exceptions register fails its tenant with the file and field, exit 2, no stack trace; the terminal summary says so', async () => {
    const out = path.join(ws.root, 'out-register');
    const register = path.join(ws.root, 'config', 'exceptions', 'acme.yaml');
    mkdirSync(path.dirname(register), { recursive: true });
    writeFileSync(
      register,
      'tenant: acme\nexceptions:\n  - id: EX-1\n    control: s3-objects-encrypted\n    scope: [unclosed\n',
    );
    try {
      const code = await cli(
        'run',
        '--config',
        cfg,
        '--period',
        '2026-10',
        '--tenant',
        'acme',
        '--tenant',
        'northwind',
        '--out',
        out,
      );
      expect(code).toBe(2);
      expect(captured.out).toContain('northwind 2026-10: COMPLIANT');
      expect(captured.out).toMatch(
        new RegExp(
          `acme 2026-10: FAILED, no packet \\(fix the file named\\): ${register.replace(/[.]/g, '\\.')}: not valid YAML`,
        ),
      );
      expect(captured.err).not.toContain('unexpected failure');
      expect(captured.err).not.toMatch(/\n\s+at /);
      expect(existsSync(path.join(out, '2026-10', 'acme'))).toBe(false);
    } finally {
      rmSync(register);
    }
  }, 120_000);

  it('a broken baseline store fails its tenant, exit 2, naming the file', async () => {
    const out = path.join(ws.root, 'out-baseline');
    const store = path.join(ws.config.baselineDir, 'northwind');
    mkdirSync(store, { recursive: true });
    writeFileSync(path.join(store, 'v0001.json'), '{"version": 1, "snapshot": ');
    try {
      const code = await cli(
        'run',
        '--config',
        cfg,
        '--period',
        '2026-10',
        '--tenant',
        'northwind',
        '--tenant',
        'globex',
        '--out',
        out,
        '--json',
      );
      expect(code).toBe(2);
      const s = JSON.parse(captured.out) as Summary;
      expect(s.packets.map((p) => p.tenant)).toEqual(['globex']);
      expect(s.failures).toEqual([
        {
          tenant: 'northwind',
          period: '2026-10',
          kind: 'expected',
          reason: expect.stringContaining(`${store}/v0001.json: not valid JSON`) as unknown,
        },
      ]);
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('what a killed run left behind', () => {
  it('a stale lock of a dead pid is taken over and named; stale staging and render folders are removed', async () => {
    const out = path.join(ws.root, 'out-stale');
    const pid = deadPid();
    mkdirSync(path.join(out, '2026-10', `.northwind.staging-${pid}`), { recursive: true });
    mkdirSync(path.join(out, '2026-09', 'northwind', `.render-${pid}`), { recursive: true });
    writeFileSync(
      path.join(out, LOCK_FILE),
      JSON.stringify({ pid, host: os.hostname(), startedAt: new Date().toISOString(), command: 'run', token: 'old' }),
    );
    const code = await cli(
      'run',
      '--config',
      cfg,
      '--period',
      '2026-10',
      '--tenant',
      'northwind',
      '--out',
      out,
      '--json',
    );
    expect(code).toBe(0);
    const s = JSON.parse(captured.out) as Summary;
    expect(s.notes).toEqual([
      expect.stringMatching(
        new RegExp(`^took over the stale lock of pid ${pid} on ${os.hostname()} \\(started `),
      ) as unknown,
      `removed 2026-09/northwind/.render-${pid}, left by pid ${pid}, which no longer runs`,
      `removed 2026-10/.northwind.staging-${pid}, left by pid ${pid}, which no longer runs`,
    ]);
    expect(existsSync(path.join(out, '2026-10', `.northwind.staging-${pid}`))).toBe(false);
    expect(existsSync(path.join(out, LOCK_FILE))).toBe(false);
  }, 120_000);
});
