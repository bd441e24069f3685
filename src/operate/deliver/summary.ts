/**
 * What a delivery says about one tenant's month: status, failing controls, what changed since the
 * previous month's packet, and links to the packet's files. Built from packet.json (and the previous
 * month's, when there is one and it verifies) only: nothing here is re-judged.
 */
import type { Packet } from '../../model/packet.js';

export interface SummaryLink {
  label: string;
  /** <linkBase><period>/<tenant>/<file>, or the path relative to the output folder without a linkBase. */
  href: string;
}

export interface TenantSummary {
  tenant: string;
  displayName: string;
  period: string;
  status: Packet['status'];
  provisional: boolean;
  statusReason: string;
  headline: string;
  complete: boolean;
  missingEvidence: number;
  failingControls: Array<{ id: string; title: string; summary: string }>;
  /** Changes since the previous month's packet, one sentence each; says so when there is none. */
  changes: string[];
  links: SummaryLink[];
}

const pct = (v: number | null) => (v === null ? 'not measured' : `${Math.floor(v * 100) / 100} %`);

function sinceLastMonth(
  packet: Packet,
  previous: Packet | undefined,
  previousLabel: string,
  unusable: string | undefined,
): string[] {
  if (unusable !== undefined) return [`not compared with ${previousLabel}: ${unusable}`];
  if (!previous) return [`no packet for ${previousLabel} to compare with`];
  const changes: string[] = [];
  if (previous.status !== packet.status)
    changes.push(`status ${previous.status.toUpperCase()} → ${packet.status.toUpperCase()}`);
  const failing = (p: Packet) => new Set(p.controls.filter((c) => c.verdict === 'fail').map((c) => c.id));
  const before = failing(previous);
  const now = failing(packet);
  const title = (id: string) => packet.controls.find((c) => c.id === id)?.title ?? id;
  for (const id of now) if (!before.has(id)) changes.push(`now failing: ${title(id)}`);
  for (const id of before) if (!now.has(id)) changes.push(`no longer failing: ${title(id)}`);
  if (previous.kpis.objectsPct !== packet.kpis.objectsPct)
    changes.push(`objects encrypted ${pct(previous.kpis.objectsPct)} → ${pct(packet.kpis.objectsPct)}`);
  if (previous.completeness.complete !== packet.completeness.complete)
    changes.push(packet.completeness.complete ? 'evidence complete again' : 'evidence now incomplete');
  return changes.length > 0 ? changes : [`no change since ${previousLabel}`];
}

/** The month before a YYYY-MM label. */
export function previousLabel(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function linkTo(linkBase: string | undefined, relative: string): string {
  const rel = relative.split('/').map(encodeURIComponent).join('/');
  if (!linkBase) return relative;
  return `${linkBase.endsWith('/') ? linkBase : `${linkBase}/`}${rel}`;
}

export function tenantSummary(args: {
  packet: Packet;
  previous?: Packet;
  /** Why the month before's packet, found, is not compared with (it does not verify, or is another's). */
  previousUnusable?: string;
  /** The packet's files, relative to the packet folder, that the summary links to. */
  files: string[];
  linkBase?: string;
}): TenantSummary {
  const { packet } = args;
  const folder = `${packet.period.label}/${packet.tenant.id}`;
  return {
    tenant: packet.tenant.id,
    displayName: packet.tenant.displayName,
    period: packet.period.label,
    status: packet.status,
    provisional: packet.provisional === true,
    statusReason: packet.statusReason,
    headline: packet.headline,
    complete: packet.completeness.complete,
    missingEvidence: packet.completeness.missing.length,
    failingControls: packet.controls
      .filter((c) => c.verdict === 'fail')
      .map((c) => ({ id: c.id, title: c.title, summary: c.summary })),
    changes: sinceLastMonth(packet, args.previous, previousLabel(packet.period.label), args.previousUnusable),
    links: args.files.map((f) => ({ label: f, href: linkTo(args.linkBase, `${folder}/${f}`) })),
  };
}
