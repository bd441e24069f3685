import { rm } from 'node:fs/promises';
import path from 'node:path';
import { approvePacketEvidence } from '../baseline/approve-packet.js';
import { baselineStore, defaultBaselineDir, folderBackend } from '../baseline/index.js';
import { periodFor } from '../config/period.js';
import type { Config } from '../config/schema.js';
import { runTenant } from '../pipeline/run-tenant.js';
import type { ProgressEvent, ProgressSink } from '../pipeline/progress.js';
import { loadEvidence } from '../evidence/evidence-store.js';
import { DEMO_PERIOD, DEMO_PREVIOUS_PERIOD, demoExportedAt, generateDemoExports } from './generate-demo.js';

/**
 * Gives the demo a past: the September packets are rendered and approved as each tenant's
 * baseline (as an auditor would at the September review), then October's exports are written, so
 * the October packets show drift against an approved state and a trend with more than one month.
 * Everything is rebuilt from scratch each time, so repeated demos give identical packets.
 */
export async function prepareDemoHistory(args: {
  config: Config;
  configSha256: string;
  exportsDir: string;
  outDir: string;
  /** Told what the preparation does as it goes, so the demo is never silent at its start. */
  onProgress?: ProgressSink;
}): Promise<void> {
  const { config } = args;
  const prepare = (state: ProgressEvent['state'], detail: string, done?: number, total?: number) =>
    args.onProgress?.({
      tenant: 'demo',
      period: DEMO_PREVIOUS_PERIOD,
      phase: 'prepare',
      state,
      detail,
      ...(done !== undefined ? { done, total } : {}),
    });
  prepare('start', `writing the ${DEMO_PREVIOUS_PERIOD} offline exports`);
  await rm(config.baselineDir, { recursive: true, force: true });
  for (const t of config.tenants) {
    for (const month of [DEMO_PREVIOUS_PERIOD, DEMO_PERIOD])
      await rm(path.join(args.outDir, month, t.id), { recursive: true, force: true });
  }
  await generateDemoExports(args.exportsDir, DEMO_PREVIOUS_PERIOD);
  for (const [i, tenant] of config.tenants.entries()) {
    prepare('update', `${DEMO_PREVIOUS_PERIOD} packets, approved as baselines`, i, config.tenants.length);
    const result = await runTenant({
      config,
      configSha256: args.configSha256,
      tenant,
      period: periodFor(DEMO_PREVIOUS_PERIOD, tenant.timeZone),
      outDir: args.outDir,
      now: new Date(demoExportedAt(DEMO_PREVIOUS_PERIOD)),
      ...(args.onProgress ? { onProgress: args.onProgress } : {}),
    });
    await approvePacketEvidence({
      store: baselineStore(folderBackend(defaultBaselineDir(config.baselineDir, tenant.id))),
      packetDir: result.folder,
      evidence: await loadEvidence(result.folder),
      by: 'Dana Reviewer (demo)',
      reason: 'State reviewed and accepted at the September 2026 service review',
      now: new Date('2026-10-02T09:00:00Z'),
    });
  }
  prepare('update', `writing the ${DEMO_PERIOD} offline exports`, config.tenants.length, config.tenants.length);
  await generateDemoExports(args.exportsDir, DEMO_PERIOD);
  prepare('end', 'ready');
}
