import { readFile, rename, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { buildPacket } from '../analyze/build-packet.js';
import { loadCatalog } from '../analyze/catalog.js';
import type { TenantConfig } from '../config/schema.js';
import type { Packet } from '../model/packet.js';
import { RENDERERS } from '../render/index.js';
import { loadWording, type Wording } from '../render/wording.js';
import { stableJson, writeFileAtomic } from '../workspace/atomic-write.js';
import { evidencePaths, loadEvidence } from '../workspace/evidence-store.js';
import { loadLogEvidence } from '../workspace/log-evidence.js';
import { loadGovernanceEvidence } from '../workspace/governance-evidence.js';
import { loadAwsConfigEvidence } from '../workspace/aws-config-evidence.js';
import { sha256 } from '../workspace/hash.js';
import { buildManifest, writeManifest, type Manifest } from '../workspace/manifest.js';

export const PACKET_FILE = 'packet.json';

export interface RenderOptions {
  pageSize: 'A4' | 'LETTER';
  topFindings: number;
  wording?: Wording;
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
  const { packet, text } = await derivePacket(packetDir, wording);
  await writeFileAtomic(path.join(packetDir, PACKET_FILE), text);
  await renderFolder(packetDir, packet, text, { ...opts, wording });
  return packet;
}

/** Renders every format into a staging folder, then moves the results into place. */
export async function renderFolder(packetDir: string, packet: Packet, packetText: string, opts: RenderOptions): Promise<void> {
  const wording = opts.wording ?? loadWording();
  const staging = path.join(packetDir, `.render-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const written: string[] = [];
  try {
    for (const r of RENDERERS) {
      written.push(
        ...(await r.render(packet, {
          outDir: staging,
          packetDir,
          wording,
          pageSize: opts.pageSize,
          topFindings: opts.topFindings,
          packetSha256: sha256(packetText),
        })),
      );
    }
    for (const rel of written) {
      const dest = path.join(packetDir, ...rel.split('/'));
      await mkdir(path.dirname(dest), { recursive: true });
      await rename(path.join(staging, ...rel.split('/')), dest);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  await writeManifest(packetDir, await buildManifest(packetDir, await manifestMeta(packetDir, packet)));
}

async function manifestMeta(packetDir: string, packet: Packet): Promise<Omit<Manifest, 'manifestVersion' | 'files'>> {
  const { tenant } = JSON.parse(await readFile(path.join(packetDir, ...evidencePaths.tenant.split('/')), 'utf8')) as { tenant: TenantConfig };
  const sources: Manifest['sources'] = [
    ...tenant.accounts.map((a) => ({ kind: 's3+kms', scope: `account ${a.id}`, location: a.offlineExport ? `offline export ${a.offlineExport}` : `live AWS API${a.roleArn ? ` via ${a.roleArn}` : ''}` })),
    ...tenant.sources.inventory.map((l) => ({ kind: 'inventory', scope: `tenant ${tenant.id}`, location: l })),
  ];
  return {
    tool: packet.tool,
    tenant: packet.tenant.id,
    period: packet.period,
    configSha256: packet.collection.configSha256,
    collection: { mode: packet.collection.mode, startedAt: packet.generatedAt, ...(packet.collection.identity ? { identity: packet.collection.identity } : {}) },
    sources,
    files: [],
  } as Omit<Manifest, 'manifestVersion' | 'files'>;
}
