/** `s3-evidence analyze` and `render`: a packet folder made again from its evidence/ or its packet.json. */
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import { EvidenceReadError } from '../../evidence/read-evidence.js';
import type { Packet } from '../../model/packet.js';
import { describeSeal, reviseSealedPacket, SealedPacketError, sealOf, type Seal } from '../../operate/sealed-packet.js';
import { PACKET_FILE } from '../../packet-folder.js';
import { analyzeFolder, renderFolder } from '../../pipeline/analyze-folder.js';
import { readPacketFile } from '../../pipeline/packet-file.js';
import { summarise, type TenantRunResult } from '../../pipeline/run-tenant.js';
import { readManifest, type RenderSettings } from '../../workspace/manifest.js';
import { requirePacketFolder } from '../packet-folders.js';
import { report } from './run-report.js';

export interface FoldersOptions {
  json?: boolean;
  config?: string;
  revise?: boolean;
}

export async function foldersCommand(
  folders: string[],
  opts: FoldersOptions,
  action: 'analyze' | 'render',
): Promise<number> {
  if (folders.length === 0)
    throw new UsageError(`${action} needs at least one packet folder (output/<period>/<tenant>)`);
  for (const folder of folders) await requirePacketFolder(folder, action);
  // A signed or published packet is never changed in place; refused before any folder is touched.
  const seals = new Map<string, Seal>();
  for (const folder of folders) {
    const seal = await sealOf(folder);
    if (seal && !opts.revise) throw new SealedPacketError(folder, action, seal);
    if (seal) seals.set(folder, seal);
  }
  const config = opts.config ? (await loadConfig(opts.config)).config : undefined;
  const results: TenantRunResult[] = [];
  const lines: string[] = [];
  for (const folder of folders) {
    // Without --config, keep the settings the packet was rendered with (its manifest), else the defaults.
    const previous = await readManifest(folder).then(
      (m) => m.render as Partial<RenderSettings> | undefined,
      () => undefined,
    );
    const renderOpts: RenderSettings = {
      pageSize: config?.pageSize ?? (previous?.pageSize === 'LETTER' ? 'LETTER' : 'A4'),
      topFindings: config?.topFindings ?? (Number.isInteger(previous?.topFindings) ? previous!.topFindings! : 6),
    };
    const remake = (dir: string) => remakePacket(dir, action, renderOpts);
    const seal = seals.get(folder);
    if (!seal) {
      results.push(summarise(await remake(folder), folder));
      continue;
    }
    const { result: packet, revision } = await reviseSealedPacket(folder, new Date(), remake);
    const revisedAt = revision.state === 'revised' ? path.join(path.dirname(folder), revision.movedTo) : undefined;
    results.push({
      ...summarise(packet, folder),
      ...(revision.state === 'revised' ? { earlierRevision: revision.movedTo } : {}),
    });
    lines.push(
      revisedAt
        ? `${folder}: the ${describeSeal(seal)} packet was kept as ${revisedAt}; the new one is neither signed nor published`
        : `${folder}: ${action} gave the same packet; the ${describeSeal(seal)} packet stays as it was`,
    );
  }
  const code = report(results, opts);
  if (!opts.json) for (const line of lines) process.stdout.write(`${line}\n`);
  return code;
}

/** analyze: evidence/ → packet.json → rendered files; render: packet.json → rendered files; both in `folder`. */
async function remakePacket(folder: string, action: 'analyze' | 'render', renderOpts: RenderSettings): Promise<Packet> {
  if (action === 'analyze') {
    try {
      return await analyzeFolder(folder, renderOpts);
    } catch (err) {
      // A folder without its run/tenant/index files is not a packet's evidence: say which file.
      if (err instanceof EvidenceReadError) throw new UsageError(`analyze: ${err.message}`);
      throw err;
    }
  }
  let stored: Awaited<ReturnType<typeof readPacketFile>>;
  try {
    stored = await readPacketFile(folder);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new UsageError(`render: ${path.join(folder, PACKET_FILE)} is not valid JSON (${err.message})`);
  }
  await renderFolder(folder, stored.packet, stored.sha256, renderOpts);
  return stored.packet;
}
