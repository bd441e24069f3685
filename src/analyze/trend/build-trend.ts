/**
 * The 12-month trend from earlier packets: coverage, denied uploads, failing controls and critical
 * drifts per month. A month without a packet is a gap (nulls), never interpolated; a value a
 * month's packet did not collect is null, never 0.
 */
import { z } from 'zod';
import type { TrendPoint } from '../../evidence/governance-evidence.js';
import type { PacketFile } from '../../evidence/earlier-packets.js';

/** Only the parts of a packet the trend reads; older and newer packets both satisfy it. */
const packetView = z.looseObject({
  tenant: z.looseObject({ id: z.string() }),
  period: z.looseObject({ label: z.string() }),
  kpis: z.looseObject({ objectsPct: z.number().nullable(), bytesPct: z.number().nullable() }),
  controls: z.array(z.looseObject({ verdict: z.string() })),
  sections: z
    .looseObject({
      deniedUploads: z
        .looseObject({
          state: z.string(),
          total: z.number().optional(),
          notItemised: z.number().int().positive().optional(),
        })
        .optional(),
      drift: z
        .looseObject({ state: z.string(), counts: z.looseObject({ critical: z.number() }).optional() })
        .optional(),
    })
    .optional(),
});

/** A month without figures: missing, unreadable or unverified. */
export const TREND_GAP = {
  objectsPct: null,
  bytesPct: null,
  deniedUploads: null,
  failingControls: null,
  criticalDrifts: null,
} as const;

export function trendPoint(period: string, tenant: string, packet: unknown): TrendPoint {
  const parsed = packetView.safeParse(packet);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      period,
      state: 'unreadable',
      ...TREND_GAP,
      problem: `packet.json of ${period} lacks ${issue.path.join('.') || 'its fields'} (${issue.message})`,
    };
  }
  const p = parsed.data;
  if (p.tenant.id !== tenant || p.period.label !== period) {
    return {
      period,
      state: 'unreadable',
      ...TREND_GAP,
      problem: `packet.json found for ${period} is of tenant ${p.tenant.id}, period ${p.period.label}`,
    };
  }
  const denied = p.sections?.deniedUploads;
  const drift = p.sections?.drift;
  const deniedUploads = denied?.state === 'collected' && denied.total !== undefined ? denied.total : null;
  return {
    period,
    state: 'present',
    objectsPct: p.kpis.objectsPct,
    bytesPct: p.kpis.bytesPct,
    deniedUploads,
    ...(deniedUploads !== null && denied?.notItemised ? { deniedUploadsNotItemised: denied.notItemised } : {}),
    failingControls: p.controls.filter((c) => c.verdict === 'fail').length,
    criticalDrifts: drift?.state === 'compared' && drift.counts ? drift.counts.critical : null,
  };
}

/** One month's point from its packet.json as found on disk (readPacketOfMonth): a gap unless present and readable. */
export function pointOfFile(month: string, tenant: string, file: PacketFile): TrendPoint {
  if (file.state === 'missing') return { period: month, state: 'missing', ...TREND_GAP };
  if (file.state === 'unreadable') return { period: month, state: file.state, ...TREND_GAP, problem: file.problem };
  return trendPoint(month, tenant, file.packet);
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A point a verified packet froze for a month before its own, as the trend takes it up unchanged. */
const vouchedPoint = z.strictObject({
  period: z.string(),
  state: z.literal('present'),
  objectsPct: z.number().nullable(),
  bytesPct: z.number().nullable(),
  deniedUploads: z.number().nullable(),
  deniedUploadsNotItemised: z.number().int().positive().optional(),
  failingControls: z.number().nullable(),
  criticalDrifts: z.number().nullable(),
  manifestSha256: z.string().regex(SHA256_HEX),
});

const packetTrend = z.looseObject({
  sections: z.looseObject({
    trend: z.looseObject({ state: z.literal('collected'), points: z.array(z.unknown()) }),
  }),
});

/**
 * The months before `month` that its packet's trend shows with figures and with the manifest.json
 * they were verified against (packets made before that was recorded have none: their months are
 * verified again). Only for a packet that verified: its trend is then re-derived from its evidence.
 */
export function vouchedPoints(month: string, packet: unknown): TrendPoint[] {
  const trend = packetTrend.safeParse(packet);
  if (!trend.success) return [];
  const points: TrendPoint[] = [];
  for (const candidate of trend.data.sections.trend.points) {
    const point = vouchedPoint.safeParse(candidate);
    if (point.success && point.data.period < month) points.push(point.data);
  }
  return points;
}
