import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generateDemoExports } from '../../src/demo/generate-demo.js';
import { parseConfig } from '../../src/config/load.js';
import { periodFor } from '../../src/config/period.js';
import type { Config, TenantConfig } from '../../src/config/schema.js';
import type { ProgressEvent } from '../../src/pipeline/progress.js';
import { runTenant } from '../../src/pipeline/run-tenant.js';

/** The demo's offline exports and config, copied into a fresh temporary folder. */
export async function demoWorkspace(): Promise<{ root: string; exportsDir: string; config: Config; out: string }> {
  const root = mkdtempSync(path.join(os.tmpdir(), 's3e-demo-'));
  const exportsDir = path.join(root, 'output', 'demo-export');
  await generateDemoExports(exportsDir);
  mkdirSync(path.join(root, 'config'));
  cpSync(path.resolve('config/demo.yaml'), path.join(root, 'config', 'demo.yaml'));
  const file = path.join(root, 'config', 'demo.yaml');
  return { root, exportsDir, config: parseConfig(readFileSync(file, 'utf8'), file), out: path.join(root, 'out') };
}

/**
 * Counts rows of an inventory report straight from its gzipped CSV files, independently of the
 * tool's parser: the EncryptionStatus column is the 9th of the demo's fileSchema.
 */
export function countReport(
  exportsDir: string,
  tenant: string,
  bucket: string,
  reportFolder: string,
): { rows: number; byStatus: Record<string, number>; bytesByStatus: Record<string, number> } {
  const manifest = JSON.parse(
    readFileSync(
      path.join(exportsDir, 'inventory', tenant, bucket, 'encryption-audit', reportFolder, 'manifest.json'),
      'utf8',
    ),
  ) as { files: Array<{ key: string }> };
  const byStatus: Record<string, number> = {};
  const bytesByStatus: Record<string, number> = {};
  let rows = 0;
  for (const f of manifest.files) {
    const local = path.join(exportsDir, 'inventory', tenant, f.key.replace(/^inventory\//, ''));
    for (const line of gunzipSync(readFileSync(local)).toString('utf8').split('\n')) {
      if (!line) continue;
      const fields = line.split('","');
      const status = fields[8]!;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      bytesByStatus[status] = (bytesByStatus[status] ?? 0) + Number(fields[5]);
      rows++;
    }
  }
  return { rows, byStatus, bytesByStatus };
}

/** Runs one demo tenant for October 2026 into the workspace's `out`, as of a fixed later date. */
export function runDemoTenant(
  ws: { config: Config; out: string },
  tenant: TenantConfig,
  onProgress?: (e: ProgressEvent) => void,
): ReturnType<typeof runTenant> {
  return runTenant({
    config: ws.config,
    configSha256: 'f'.repeat(64),
    tenant,
    period: periodFor('2026-10', tenant.timeZone),
    outDir: ws.out,
    now: new Date('2030-01-01T00:00:00Z'),
    ...(onProgress ? { onProgress } : {}),
  });
}
