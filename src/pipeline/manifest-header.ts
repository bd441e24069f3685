import type { TenantConfig } from '../config/schema.js';
import type { Packet } from '../model/packet.js';
import type { Manifest, RenderSettings } from '../workspace/manifest.js';

/** Everything in manifest.json but the file list: what the packet is, where from, rendered how. */
export type ManifestHeader = Omit<Manifest, 'manifestVersion' | 'files'>;

/** Where each kind of evidence came from, as the tenant's recorded configuration (evidence/tenant.json) names it. */
function manifestSources(tenant: TenantConfig): Manifest['sources'] {
  return [
    ...tenant.accounts.map((a) => ({
      kind: 's3+kms',
      scope: `account ${a.id}`,
      location: a.offlineExport
        ? `offline export ${a.offlineExport}`
        : `live AWS API${a.roleArn ? ` via ${a.roleArn}` : ''}`,
    })),
    ...tenant.sources.inventory.map((l) => ({ kind: 'inventory', scope: `tenant ${tenant.id}`, location: l })),
  ];
}

/**
 * The manifest header a packet must carry: a function of packet.json (itself re-derivable from
 * evidence/), the recorded tenant configuration and the render settings. `run` writes it and
 * `verify` recomputes it, so the two can never disagree about what a field should hold.
 */
export function manifestHeader(packet: Packet, tenant: TenantConfig, render: RenderSettings): ManifestHeader {
  return { ...packetHeader(packet, tenant), render: { pageSize: render.pageSize, topFindings: render.topFindings } };
}

/** The header fields that follow from packet.json and evidence/tenant.json alone (all but `render`). */
export function packetHeader(packet: Packet, tenant: TenantConfig): Omit<ManifestHeader, 'render'> {
  return {
    tool: packet.tool,
    tenant: packet.tenant.id,
    period: packet.period,
    configSha256: packet.collection.configSha256,
    collection: {
      mode: packet.collection.mode,
      startedAt: packet.generatedAt,
      ...(packet.collection.identity ? { identity: packet.collection.identity } : {}),
    },
    sources: manifestSources(tenant),
  };
}
