import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodFor } from '../../src/config/period.js';
import { TenantCheckpoints } from '../../src/pipeline/checkpoints.js';
import type { ProgressEvent } from '../../src/pipeline/progress.js';
import { runTenant } from '../../src/pipeline/run-tenant.js';
import { demoWorkspace } from '../support/demo-workspace.js';

/**
 * Where a run's time goes (`run --json`'s timings): every phase that ran, the checkpoints a killed
 * run resumes from among them, so that what the phases add up to is the run.
 */
let ws: Awaited<ReturnType<typeof demoWorkspace>>;

beforeAll(async () => {
  ws = await demoWorkspace();
});
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

async function runAcme(out: string, withCheckpoints: boolean) {
  const tenant = ws.config.tenants.find((t) => t.id === 'acme')!;
  const period = periodFor('2026-10', tenant.timeZone);
  const events: ProgressEvent[] = [];
  const started = performance.now();
  const result = await runTenant({
    config: ws.config,
    configSha256: 'e'.repeat(64),
    tenant,
    period,
    outDir: out,
    now: new Date('2026-11-02T06:00:00Z'),
    onProgress: (e) => events.push(e),
    ...(withCheckpoints
      ? {
          checkpoints: TenantCheckpoints.at(out, {
            tenant: tenant.id,
            period: period.label,
            configSha256: 'e'.repeat(64),
          }),
        }
      : {}),
  });
  return { result, events, wallMs: performance.now() - started };
}

describe('phase timings', () => {
  it('count the checkpoints as a phase of their own, three saves and the finished mark, in the order phases run', async () => {
    const { result, events, wallMs } = await runAcme(`${ws.root}/with-checkpoints`, true);
    const timings = result.timings!;
    expect(Object.keys(timings)).toEqual([
      'collectGovernance',
      'collectBuckets',
      'collectKeys',
      'collectInventory',
      'collectLogs',
      'collectConfig',
      'analyze',
      'render',
      'write',
      'checkpoint',
    ]);
    for (const ms of Object.values(timings)) expect(Number.isInteger(ms) && ms >= 0).toBe(true);
    // Some 300 files packed, hashed and listed: never under a millisecond.
    expect(timings.checkpoint).toBeGreaterThan(0);
    const total = Object.values(timings).reduce((n, ms) => n + ms, 0);
    expect(total).toBeLessThanOrEqual(Math.ceil(wallMs) + Object.keys(timings).length);
    // One checkpoint after each source: accounts, logs, AWS Config.
    const checkpointEvents = events.filter((e) => e.phase === 'checkpoint').map((e) => e.state);
    expect(checkpointEvents).toEqual(['start', 'end', 'start', 'end', 'start', 'end']);
    // Each save follows its source's collection: the first after the inventory, the last after AWS Config.
    const order = events.filter((e) => e.state === 'end').map((e) => e.phase);
    expect(order.indexOf('checkpoint')).toBe(order.indexOf('inventory') + 1);
    expect(order.lastIndexOf('checkpoint')).toBe(order.indexOf('awsConfig') + 1);
  });

  it('have no checkpoint phase in a run that keeps none', async () => {
    const { result, events } = await runAcme(`${ws.root}/without`, false);
    expect(result.timings).not.toHaveProperty('checkpoint');
    expect(events.some((e) => e.phase === 'checkpoint')).toBe(false);
  });
});
