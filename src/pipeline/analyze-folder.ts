import { readFile, rename, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { buildPacket } from '../analyze/build-packet.js';
import { loadCatalog } from '../analyze/catalog.js';
import type { TenantConfig } from '../config/schema.js';
import type { Packet } from '../model/packet.js';
import { RENDERERS } from '../render/index.js';
import { loadWording, type Wording } from '../wording/wording.js';
import { stableJson, writeFileAtomic } from '../util/atomic-write.js';
import { evidencePaths, loadEvidence } from '../evidence/evidence-store.js';
import { loadLogEvidence } from '../evidence/log-evidence.js';
import { loadGovernanceEvidence } from '../evidence/governance-evidence.js';
import { loadAwsConfigEvidence } from '../evidence/aws-config-evidence.js';
import { sha256 } from '../util/hash.js';
import { buildManifest, writeManifest } from '../workspace/manifest.js';
import { manifestHeader } from './manifest-header.js';
import { PACKET_FILE } from '../packet-folder.js';
import type { Period } from '../config/period.js';


export interface RenderOptions {
  pageSize: 'A4' | 'LETTER';
  topFindings: number;
  wording?: Wording;
  /** Told the wall time (ms) of analysing, rendering and writing, as each ends; nothing of it is written. */
  onPhaseTime?: (phase: 'analyze' | 'render' | 'write', ms: number) => void;
}

/** Re-derives packet.json from the folder's evidence: the pure analysis step, used by `verify` too. */
export async function derivePacket(packetDir: string, wording: Wording = loadWording()): Promise<{ packet: Packet; text: string }> {
  const evidence = await loadEvidence(packetDir);
  const logs = await loadLogEvidence(packetDir);
  const governance = await loadGovernanceEvidence(packetDir);
  const awsConfig = await loadAwsConfigEvidence(packetDir);
  const packet = buildPacket({ evidence, logs, governance, awsConfig, catalog: loadCatalog(), wording });
  return { packet, text: stableJson(packet) };
}

/** evidence/ → packet.json → PDF, XLSX, CSV → manifest.json, all inside `packetDir`. */
export async function analyzeFolder(packetDir: string, opts: RenderOptions): Promise<Packet> {
  const wording = opts.wording ?? loadWording();
  const started = performance.now();
  const { packet, text } = await derivePacket(packetDir, wording);
  const derived = performance.now();
  opts.onPhaseTime?.('analyze', derived - started);
  await writeFileAtomic(path.join(packetDir, PACKET_FILE), text);
  opts.onPhaseTime?.('write', performance.now() - derived);
  await renderFolder(packetDir, packet, text, { ...opts, wording });
  return packet;
}

/** Runs every renderer into `outDir` (reading streamed evidence from `packetDir`); returns the paths written, relative to `outDir`. */
export async function renderInto(outDir: string, packetDir: string, packet: Packet, packetText: string, opts: RenderOptions): Promise<string[]> {
  const wording = opts.wording ?? loadWording();
  const written: string[] = [];
  for (const r of RENDERERS) {
    written.push(
      ...(await r.render(packet, {
        outDir,
        packetDir,
        wording,
        pageSize: opts.pageSize,
        topFindings: opts.topFindings,
        packetSha256: sha256(packetText),
      })),
    );
  }
  return written;
}

/** Renders every format into a staging folder, then moves the results into place. */
export async function renderFolder(packetDir: string, packet: Packet, packetText: string, opts: RenderOptions): Promise<void> {
  const staging = path.join(packetDir, `.render-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  let mark = performance.now();
  const lap = (phase: 'render' | 'write') => {
    const now = performance.now();
    opts.onPhaseTime?.(phase, now - mark);
    mark = now;
  };
  try {
    const written = await renderInto(staging, packetDir, packet, packetText, opts);
    lap('render');
    for (const rel of written) {
      const dest = path.join(packetDir, ...rel.split('/'));
      await mkdir(path.dirname(dest), { recursive: true });
      await rename(path.join(staging, ...rel.split('/')), dest);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const { tenant } = await readRecordedTenant(packetDir);
  const header = manifestHeader(packet, tenant, { pageSize: opts.pageSize, topFindings: opts.topFindings });
  await writeManifest(packetDir, await buildManifest(packetDir, header));
  lap('write');
}

/** evidence/tenant.json: the tenant's configuration and period as recorded at collection. */
export async function readRecordedTenant(packetDir: string): Promise<{ tenant: TenantConfig; period: Period }> {
  return JSON.parse(await readFile(path.join(packetDir, ...evidencePaths.tenant.split('/')), 'utf8')) as { tenant: TenantConfig; period: Period };
}
