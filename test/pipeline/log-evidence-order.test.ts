/**
 * The log scans' evidence is megabytes of text at a large tenant; it is written once the scan
 * workers are gone, so their memory and the text's are never held at once.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stopIdleScanWorkers } from '../../src/collect/workers/pool.js';
import { writeLogEvidence } from '../../src/evidence/log-evidence.js';
import { demoWorkspace, runDemoTenant } from '../support/demo-workspace.js';

const order: string[] = [];

vi.mock('../../src/collect/workers/pool.js', async (original) => {
  const real = await original<typeof import('../../src/collect/workers/pool.js')>();
  return { ...real, stopIdleScanWorkers: vi.fn(real.stopIdleScanWorkers) };
});
vi.mock('../../src/evidence/log-evidence.js', async (original) => {
  const real = await original<typeof import('../../src/evidence/log-evidence.js')>();
  return { ...real, writeLogEvidence: vi.fn(real.writeLogEvidence) };
});

let ws: Awaited<ReturnType<typeof demoWorkspace>>;

beforeAll(async () => {
  ws = await demoWorkspace();
});
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

describe('log evidence and the scan workers', () => {
  it('stops the idle scan workers after the log scans and before their evidence is written', async () => {
    vi.mocked(stopIdleScanWorkers).mockImplementation(async () => {
      order.push('stop scan workers');
    });
    const real = await vi.importActual<typeof import('../../src/evidence/log-evidence.js')>(
      '../../src/evidence/log-evidence.js',
    );
    vi.mocked(writeLogEvidence).mockImplementation(async (writer, logs) => {
      order.push(
        `write log evidence (${logs.accessLogs?.length ?? 0} access-log, ${logs.cloudTrail?.length ?? 0} trail)`,
      );
      return real.writeLogEvidence(writer, logs);
    });
    await runDemoTenant(
      ws,
      ws.config.tenants.find((t) => t.id === 'acme')!,
      (e) => {
        if (e.phase === 'logs' && e.state !== 'update') order.push(`logs ${e.state}`);
        if (e.phase === 'analyze' && e.state === 'start') order.push('analyze start');
      },
    );
    // The demo's acme has one access-log tree and one trail; after the collection the workers are
    // stopped once more (for the inventory's, had the logs not run), before the analysis.
    expect(order).toEqual([
      'logs start',
      'stop scan workers',
      'write log evidence (1 access-log, 1 trail)',
      'logs end',
      'stop scan workers',
      'analyze start',
    ]);
  });
});
