/** `baseline approve|list --config`: the configuration's baselineDir is where the versions live. */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { captured, cli } from '../support/cli.js';
import { demoWorkspace } from '../support/demo-workspace.js';

let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let cfg: string;
beforeAll(async () => {
  ws = await demoWorkspace();
  cfg = path.join(ws.root, 'config', 'demo.yaml');
  expect(await cli('run', '--config', cfg, '--period', '2026-10', '--tenant', 'northwind', '--out', ws.out)).toBe(0);
}, 120_000);
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('baseline --config', () => {
  // demo.yaml says baselineDir: ../output/demo-baseline, relative to the file.
  const baselineDir = () => path.join(ws.root, 'output', 'demo-baseline');

  it('approve stores the version under the configuration baselineDir', async () => {
    const code = await cli(
      'baseline',
      'approve',
      '--tenant',
      'northwind',
      '--config',
      cfg,
      '--out',
      ws.out,
      '--by',
      'Dana',
      '--reason',
      'reviewed',
    );
    expect(code).toBe(0);
    expect(existsSync(path.join(baselineDir(), 'northwind', 'v0001.json'))).toBe(true);
    expect(captured.out).toContain(path.join(baselineDir(), 'northwind', 'v0001.json'));
  });

  it('list --config sees it; --baseline-dir still wins over the configuration', async () => {
    expect(await cli('baseline', 'list', '--tenant', 'northwind', '--config', cfg)).toBe(0);
    expect(captured.out).toMatch(/^v0001 {2}2026-10 {2}\S+ {2}Dana {2}reviewed\n$/);
    expect(await cli('baseline', 'list', '--tenant', 'northwind', '--config', cfg, '--baseline-dir', ws.root)).toBe(0);
    expect(captured.out).toBe(`no baseline approved for northwind yet (${path.join(ws.root, 'northwind')})\n`);
  });

  it('a tenant the configuration does not name, or a configuration that does not exist, exits 2', async () => {
    expect(await cli('baseline', 'list', '--tenant', 'nobody', '--config', cfg)).toBe(2);
    expect(captured.err).toBe(`s3-evidence: unknown tenant "nobody"; ${cfg} has northwind, acme, globex\n`);
    expect(await cli('baseline', 'list', '--tenant', 'acme', '--config', path.join(ws.root, 'missing.yaml'))).toBe(2);
    expect(captured.err).toContain(path.join(ws.root, 'missing.yaml'));
  });
});
