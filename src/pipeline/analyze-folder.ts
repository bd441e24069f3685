import { readFile, rename, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { analyzeEvidence } from '../analyze/build-packet.js';
import { loadCatalog } from '../analyze/catalog.js';
import type { TenantConfig } from '../config/schema.js';
import type { ExportRows } from '../model/export-rows.js';
import type { Packet } from '../model/packet.js';
import { RENDERERS } from '../render/index.js';
import { loadWording, type Wording } from '../wording/wording.js';
import { writeTextAtomic } from '../util/atomic-write.js';
import { sha256OfPieces } from '../util/hash.js';
import { stableJsonPieces } from '../util/json-pieces.js';
import { evidencePaths, loadEvidence } from '../evidence/evidence-store.js';
import { loadLogEvidence } from '../evidence/log-evidence.js';
import { loadGovernanceEvidence } from '../evidence/governance-evidence.js';
import { loadAwsConfigEvidence } from '../evidence/aws-config-evidence.js';
import { buildManifest, writeManifest } from '../workspace/manifest.js';
import { manifestHeader } from './manifest-header.js';
import { PACKET_FILE } from '../packet-folder.js';
import type { Period } from '../config/period.js';
import type { WrittenEvidence } from '../evidence/written-evidence.js';
import {
  exportRows,
  startWorkbookThread,
  WARM_START_MAX_FILES,
  workbookThreadFits,
  type WorkbookThread,
} from './workbook-thread.js';

export interface RenderOptions {
  pageSize: 'A4' | 'LETTER';
  topFindings: number;
  wording?: Wording;
  /** Told the wall time (ms) of analysing, rendering and writing, as each ends; nothing of it is written. */
  onPhaseTime?: (phase: 'analyze' | 'render' | 'write', ms: number) => void;
  /**
   * What this process wrote into the folder (a `run`): analysed and hashed from memory instead of
   * read back; its contents are let go once analysed.
   */
  written?: WrittenEvidence;
}

/** The pure analysis of the folder's evidence: the packet, and the export rows from the same pass. */
async function analyzePacket(
  packetDir: string,
  wording: Wording,
  written?: WrittenEvidence,
): Promise<{ packet: Packet; exports: ExportRows }> {
  const logs = await loadLogEvidence(packetDir, written);
  const governance = await loadGovernanceEvidence(packetDir, written);
  const awsConfig = await loadAwsConfigEvidence(packetDir, written);
  // Last: it lists (and, in `verify`, hashes) every evidence file, those read above included.
  const evidence = await loadEvidence(packetDir, written);
  const { packet, rows } = analyzeEvidence({ evidence, logs, governance, awsConfig, catalog: loadCatalog(), wording });
  return { packet, exports: exportRows(packetDir, rows) };
}

/**
 * Re-derives packet.json from the folder's evidence: the pure analysis step, used by `verify` too.
 * The export rows come from the same pass, so every fact is computed once. `sha256` is that of the
 * packet.json text the packet makes, hashed in pieces: the text is never one string.
 */
export async function derivePacket(
  packetDir: string,
  wording: Wording = loadWording(),
): Promise<{ packet: Packet; sha256: string; exports: ExportRows }> {
  const { packet, exports } = await analyzePacket(packetDir, wording);
  return { packet, sha256: sha256OfPieces(stableJsonPieces(packet)), exports };
}

/**
 * The export rows for a packet read from packet.json (render, verify): derived from the folder's
 * evidence when a log section was collected, the renderers then check them against the packet's totals.
 */
async function exportsFor(packetDir: string, packet: Packet, wording: Wording): Promise<ExportRows> {
  const logsCollected =
    packet.sections.deniedUploads.state === 'collected' || packet.sections.keyUsage.state === 'collected';
  if (logsCollected) return (await analyzePacket(packetDir, wording)).exports;
  return exportRows(packetDir, { deniedUploads: [], keyUsage: [], keyEvents: [] });
}

/**
 * packet.json derived and written in pieces, its hash taken as they are written: its text (some
 * 100 MB at 10,000 buckets) is never one string.
 */
async function deriveAndWrite(
  packetDir: string,
  wording: Wording,
  opts: RenderOptions,
): Promise<{ packet: Packet; packetSha256: string; exports: ExportRows }> {
  const started = performance.now();
  const { packet, exports } = await analyzePacket(packetDir, wording, opts.written);
  opts.written?.dropContents();
  const derived = performance.now();
  opts.onPhaseTime?.('analyze', derived - started);
  const packetSha256 = (await writeTextAtomic(path.join(packetDir, PACKET_FILE), stableJsonPieces(packet))).sha256;
  opts.onPhaseTime?.('write', performance.now() - derived);
  return { packet, packetSha256, exports };
}

/** evidence/ → packet.json → PDF, XLSX, CSV → manifest.json, all inside `packetDir`. */
export async function analyzeFolder(packetDir: string, opts: RenderOptions): Promise<Packet> {
  const wording = opts.wording ?? loadWording();
  // A small tenant's workbook thread is started now, so it loads its code while the packet is made.
  const started =
    opts.written && opts.written.fileHashes().size <= WARM_START_MAX_FILES ? startWorkbookThread(wording) : undefined;
  try {
    const { packet, packetSha256, exports } = await deriveAndWrite(packetDir, wording, opts);
    await renderFolder(packetDir, packet, packetSha256, { ...opts, wording }, exports, started);
    return packet;
  } finally {
    started?.close();
  }
}

/**
 * Runs every renderer into `outDir`; returns the paths written, relative to `outDir`. The export rows
 * are the analysis's when the caller has them, else derived from `packetDir`'s evidence.
 */
export async function renderInto(
  outDir: string,
  packetDir: string,
  packet: Packet,
  packetSha256: string,
  opts: RenderOptions,
  given?: ExportRows,
  started?: WorkbookThread,
): Promise<string[]> {
  const wording = opts.wording ?? loadWording();
  const exports = given ?? (await exportsFor(packetDir, packet, wording));
  const ctx = { outDir, exports, wording, pageSize: opts.pageSize, topFindings: opts.topFindings, packetSha256 };
  // The workbook on the second core while this thread renders the rest (see workbook-thread.ts);
  // its failure is held until the rest is done, so it is never an unhandled rejection.
  const fits = workbookThreadFits(packet, exports);
  if (!fits) started?.close();
  const thread = fits ? (started ?? startWorkbookThread(wording)) : undefined;
  const onThread = thread
    ?.render({
      packet,
      packetDir,
      outDir,
      logRows: { deniedUploads: exports.deniedUploads, keyUsage: exports.keyUsage, keyEvents: exports.keyEvents },
      pageSize: opts.pageSize,
      topFindings: opts.topFindings,
      packetSha256,
    })
    .then(
      (files) => ({ files }),
      (error: unknown) => ({ error }),
    );
  const written: string[][] = [];
  let workbookAt = -1;
  try {
    for (const r of RENDERERS) {
      if (r.id === 'xlsx' && onThread) {
        workbookAt = written.push([]) - 1;
        continue;
      }
      written.push(await r.render(packet, ctx));
    }
  } finally {
    // Settled before the caller may remove the folder it writes into, even when a renderer here failed
    // (that failure is the one thrown).
    await onThread;
  }
  const workbook = await onThread;
  if (workbook && 'error' in workbook) throw workbook.error;
  if (workbook) written[workbookAt] = workbook.files;
  return written.flat();
}

/** Renders every format into a staging folder, then moves the results into place. */
export async function renderFolder(
  packetDir: string,
  packet: Packet,
  packetSha256: string,
  opts: RenderOptions,
  exports?: ExportRows,
  started?: WorkbookThread,
): Promise<void> {
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
    const written = await renderInto(staging, packetDir, packet, packetSha256, opts, exports, started);
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
  await writeManifest(packetDir, await buildManifest(packetDir, header, opts.written?.fileHashes()));
  lap('write');
}

/** evidence/tenant.json: the tenant's configuration and period as recorded at collection. */
export async function readRecordedTenant(packetDir: string): Promise<{ tenant: TenantConfig; period: Period }> {
  return JSON.parse(await readFile(path.join(packetDir, ...evidencePaths.tenant.split('/')), 'utf8')) as {
    tenant: TenantConfig;
    period: Period;
  };
}
