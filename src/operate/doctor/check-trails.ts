/** CloudTrail readiness: a logging trail records S3 data events (writes) per bucket and KMS management events per region. */
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { attempt } from '../../collect/live/aws-call.js';
import type { RegionalClients } from '../../collect/live/clients.js';
import { addKmsManagementEvents, addS3DataEvents, createTrail, startTrailLogging } from './fixes.js';
import type { Check, ReadCall } from './readiness.js';
import { kmsCoverage, s3WriteCoverage, type CoverageVerdict, type TrailSelectors } from './trail-selectors.js';

export interface TrailState {
  arn: string;
  name: string;
  homeRegion: string;
  multiRegion: boolean;
  logging: boolean | 'unknown';
  selectors?: TrailSelectors;
  problem?: string;
}

function failed(
  operation: string,
  scope: string,
  r: { ok: false; error: { code: string } },
  outcome: ReadCall['outcome'] = 'error',
): ReadCall {
  const denied = /AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(r.error.code);
  return { operation, scope, outcome: denied ? 'access_denied' : outcome, errorCode: r.error.code };
}

/** DescribeTrails (with shadow trails) in each region, then status and selectors of each trail in its home region. */
export async function readTrails(
  clients: RegionalClients,
  regions: string[],
): Promise<{ trails: TrailState[]; calls: ReadCall[]; unreadable: string[] }> {
  const calls: ReadCall[] = [];
  const byArn = new Map<string, TrailState>();
  const unreadable: string[] = [];
  for (const region of regions) {
    const r = await attempt(() =>
      clients.cloudtrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true })),
    );
    if (!r.ok) {
      calls.push(failed('cloudtrail:DescribeTrails', `region ${region}`, r));
      unreadable.push(`${region}: ${r.error.code}`);
      continue;
    }
    calls.push({ operation: 'cloudtrail:DescribeTrails', scope: `region ${region}`, outcome: 'ok' });
    for (const t of r.output.trailList ?? []) {
      if (!t.TrailARN || byArn.has(t.TrailARN)) continue;
      byArn.set(t.TrailARN, {
        arn: t.TrailARN,
        name: t.Name ?? t.TrailARN,
        homeRegion: t.HomeRegion ?? region,
        multiRegion: t.IsMultiRegionTrail ?? false,
        logging: 'unknown',
      });
    }
  }
  for (const t of byArn.values()) {
    const client = clients.cloudtrail(t.homeRegion);
    const status = await attempt(() => client.send(new GetTrailStatusCommand({ Name: t.arn })));
    if (status.ok) {
      t.logging = status.output.IsLogging ?? false;
      calls.push({ operation: 'cloudtrail:GetTrailStatus', scope: `trail ${t.name}`, outcome: 'ok' });
    } else {
      calls.push(failed('cloudtrail:GetTrailStatus', `trail ${t.name}`, status));
      t.problem = `status unreadable (${status.error.code})`;
    }
    const sel = await attempt(() => client.send(new GetEventSelectorsCommand({ TrailName: t.arn })));
    if (sel.ok) {
      t.selectors = {
        ...(sel.output.EventSelectors ? { EventSelectors: sel.output.EventSelectors } : {}),
        ...(sel.output.AdvancedEventSelectors ? { AdvancedEventSelectors: sel.output.AdvancedEventSelectors } : {}),
      };
      calls.push({ operation: 'cloudtrail:GetEventSelectors', scope: `trail ${t.name}`, outcome: 'ok' });
    } else {
      calls.push(failed('cloudtrail:GetEventSelectors', `trail ${t.name}`, sel));
      t.problem = `${t.problem ? `${t.problem}; ` : ''}selectors unreadable (${sel.error.code})`;
    }
  }
  return { trails: [...byArn.values()], calls, unreadable };
}

const covers = (t: TrailState, region: string) => t.multiRegion || t.homeRegion === region;

/** The candidate trails for a region, multi-region ones first (the natural home for a fix). */
function candidates(trails: TrailState[], region: string): TrailState[] {
  return trails.filter((t) => covers(t, region)).sort((a, b) => Number(b.multiRegion) - Number(a.multiRegion));
}

function judge(
  area: Check['area'],
  scope: string,
  region: string,
  trails: TrailState[],
  unreadable: string[],
  verdictOf: (t: TrailState) => CoverageVerdict,
  fixFor: (t: TrailState) => string[],
  noTrailFix: () => string[],
  what: string,
): Check {
  const found = candidates(trails, region);
  const logging = found.filter((t) => t.logging === true && t.selectors);
  const verdicts = logging.map((t) => ({ t, v: verdictOf(t) }));
  const full = verdicts.find((x) => x.v.coverage === 'full');
  if (full) return { area, scope, status: 'ok', detail: `trail ${full.t.name} records ${what} (${full.v.reason})` };
  if (found.length === 0) {
    if (unreadable.length)
      return { area, scope, status: 'unknown', detail: `trails unreadable (${unreadable.join(', ')})` };
    return { area, scope, status: 'gap', detail: `no trail covers ${region}`, fix: noTrailFix() };
  }
  const unknown = found.find((t) => t.problem && t.logging !== false);
  if (logging.length === 0 && unknown)
    return { area, scope, status: 'unknown', detail: `trail ${unknown.name}: ${unknown.problem}` };
  const partial = verdicts.find((x) => x.v.coverage === 'partial');
  const stopped = found.find((t) => t.logging === false);
  if (partial)
    return {
      area,
      scope,
      status: 'gap',
      detail: `trail ${partial.t.name} records ${what} only partly: ${partial.v.reason}`,
      fix: fixFor(partial.t),
    };
  if (logging.length > 0) {
    const t = logging[0]!;
    return {
      area,
      scope,
      status: 'gap',
      detail: `trail ${t.name} does not record ${what} (${verdictOf(t).reason})`,
      fix: fixFor(t),
    };
  }
  const t = stopped ?? found[0]!;
  const needsSelectors = t.selectors && verdictOf(t).coverage !== 'full';
  return {
    area,
    scope,
    status: 'gap',
    detail: `trail ${t.name} is not logging${needsSelectors ? ` and does not record ${what}` : ''}`,
    fix: [...startTrailLogging(t.arn, t.homeRegion), ...(needsSelectors ? fixFor(t) : [])],
  };
}

export function s3DataCheck(args: {
  bucket: string;
  region: string;
  trails: TrailState[];
  unreadable: string[];
  logBucket: string;
}): Check {
  const { bucket, region } = args;
  return judge(
    'trail-s3-data',
    `bucket ${bucket}`,
    region,
    args.trails,
    args.unreadable,
    (t) => s3WriteCoverage(t.selectors ?? {}, bucket),
    (t) =>
      addS3DataEvents({
        trailArn: t.arn,
        homeRegion: t.homeRegion,
        bucket,
        basic: t.selectors?.EventSelectors ?? [],
        advanced: t.selectors?.AdvancedEventSelectors ?? [],
      }),
    () => createTrail({ region, logBucket: args.logBucket, buckets: [bucket] }),
    'S3 data events (writes) for the bucket',
  );
}

export function kmsEventsCheck(args: {
  region: string;
  trails: TrailState[];
  unreadable: string[];
  logBucket: string;
}): Check {
  const { region } = args;
  return judge(
    'trail-kms',
    `region ${region}`,
    region,
    args.trails,
    args.unreadable,
    (t) => kmsCoverage(t.selectors ?? {}),
    (t) =>
      addKmsManagementEvents({
        trailArn: t.arn,
        homeRegion: t.homeRegion,
        basic: t.selectors?.EventSelectors ?? [],
        advanced: t.selectors?.AdvancedEventSelectors ?? [],
      }),
    () => createTrail({ region, logBucket: args.logBucket, buckets: [] }),
    'KMS management events',
  );
}
