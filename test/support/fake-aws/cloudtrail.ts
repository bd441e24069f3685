/**
 * AWS CloudTrail (JSON 1.1): DescribeTrails, GetEventSelectors, GetTrailStatus. DescribeTrails in a
 * region lists the trails whose home region it is, plus multi-region ("shadow") trails of other
 * home regions when includeShadowTrails is true (the default). LookupEvents answers from the
 * account's event history in the signing region, newest first, filtered by one lookup attribute
 * (EventSource, EventName or EventId) and the time range, paged by NextToken.
 */
import type { FakeAccount, FakeTrail, Scenario } from './scenario.js';
import { epochSeconds, type Identified, type WireAnswer, type WireRequest } from './wire.js';
import { jsonError, jsonOk, parseJsonBody } from './json11.js';

function trailArn(account: string, t: FakeTrail): string {
  return `arn:aws:cloudtrail:${t.homeRegion}:${account}:trail/${t.name}`;
}

function describe(account: string, t: FakeTrail) {
  return {
    Name: t.name,
    S3BucketName: t.s3BucketName,
    ...(t.s3KeyPrefix ? { S3KeyPrefix: t.s3KeyPrefix } : {}),
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: t.multiRegion ?? false,
    HomeRegion: t.homeRegion,
    TrailARN: trailArn(account, t),
    LogFileValidationEnabled: true,
    HasCustomEventSelectors: Boolean(t.eventSelectors || t.advancedEventSelectors),
    HasInsightSelectors: false,
    IsOrganizationTrail: t.organizationTrail ?? false,
  };
}

/** A trail named by name (in its home region) or by ARN (anywhere). */
function findTrail(owner: FakeAccount | undefined, name: string, region: string): FakeTrail | undefined {
  return owner?.trails?.find((t) =>
    name.startsWith('arn:') ? trailArn(owner.id, t) === name : t.name === name && t.homeRegion === region,
  );
}

export function answerCloudTrail(req: WireRequest, id: Identified, world: Scenario): WireAnswer {
  const body = parseJsonBody(req);
  const owner = world.accounts.find((a) => a.id === req.identity!.account);
  const trails = owner?.trails ?? [];
  switch (id.operation) {
    case 'DescribeTrails': {
      const shadows = body.includeShadowTrails !== false;
      const visible = trails.filter((t) => t.homeRegion === req.region || (shadows && t.multiRegion));
      return jsonOk(req, { trailList: visible.map((t) => describe(owner!.id, t)) });
    }
    case 'GetEventSelectors': {
      const t = findTrail(owner, String(body.TrailName ?? ''), req.region);
      if (!t)
        return jsonError(
          req,
          400,
          'TrailNotFoundException',
          `Unknown trail: ${String(body.TrailName)} for the user: ${owner?.id ?? '?'}`,
        );
      const arn = trailArn(owner!.id, t);
      if (t.advancedEventSelectors)
        return jsonOk(req, { TrailARN: arn, AdvancedEventSelectors: t.advancedEventSelectors });
      const basic = (t.eventSelectors ?? [{ ReadWriteType: 'All', IncludeManagementEvents: true }]).map((s) => ({
        ReadWriteType: s.ReadWriteType ?? 'All',
        IncludeManagementEvents: s.IncludeManagementEvents ?? true,
        DataResources: s.DataResources ?? [],
        ExcludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
      }));
      return jsonOk(req, { TrailARN: arn, EventSelectors: basic });
    }
    case 'GetTrailStatus': {
      const t = findTrail(owner, String(body.Name ?? ''), req.region);
      if (!t)
        return jsonError(
          req,
          400,
          'TrailNotFoundException',
          `Unknown trail: ${String(body.Name)} for the user: ${owner?.id ?? '?'}`,
        );
      const logging = t.logging ?? true;
      return jsonOk(req, {
        IsLogging: logging,
        ...(logging
          ? {
              LatestDeliveryTime: epochSeconds('2026-11-01T05:55:00Z'),
              StartLoggingTime: epochSeconds('2024-01-01T00:00:00Z'),
            }
          : { StopLoggingTime: epochSeconds('2026-09-01T00:00:00Z') }),
      });
    }
    case 'LookupEvents':
      return lookupEvents(req, body, owner, world);
    default:
      return jsonError(req, 400, 'UnknownOperationException', `Unknown operation ${id.operation}`);
  }
}

const LOOKUP_KEYS: Record<string, string> = { EventSource: 'eventSource', EventName: 'eventName', EventId: 'eventID' };

/** JSON 1.1 sends timestamps as epoch seconds. */
function epochMs(value: unknown): number | undefined {
  return typeof value === 'number' ? value * 1000 : undefined;
}

function lookupEvents(
  req: WireRequest,
  body: Record<string, unknown>,
  owner: FakeAccount | undefined,
  world: Scenario,
): WireAnswer {
  const attributes =
    (body.LookupAttributes as Array<{ AttributeKey?: string; AttributeValue?: string }> | undefined) ?? [];
  if (attributes.length > 1)
    return jsonError(
      req,
      400,
      'InvalidLookupAttributesException',
      'You cannot specify more than one lookup attribute.',
    );
  const attribute = attributes[0];
  const field = attribute ? LOOKUP_KEYS[attribute.AttributeKey ?? ''] : undefined;
  if (attribute && !field)
    return jsonError(
      req,
      400,
      'InvalidLookupAttributesException',
      `Unsupported attribute key ${String(attribute.AttributeKey)}`,
    );
  const start = epochMs(body.StartTime) ?? -Infinity;
  const end = epochMs(body.EndTime) ?? Infinity;
  const events = (owner?.cloudTrailEvents ?? [])
    .filter((e) => e.region === req.region)
    .filter((e) => !field || e.record[field] === attribute!.AttributeValue)
    .filter((e) => {
      const t = Date.parse(e.record.eventTime);
      return t >= start && t <= end;
    })
    .sort(
      (a, b) =>
        Date.parse(b.record.eventTime) - Date.parse(a.record.eventTime) ||
        (a.record.eventID < b.record.eventID ? -1 : 1),
    );
  const offset = body.NextToken === undefined ? 0 : Number(String(body.NextToken).replace(/^page-/, ''));
  if (!Number.isInteger(offset) || offset < 0 || offset > events.length)
    return jsonError(req, 400, 'InvalidNextTokenException', 'Invalid NextToken');
  const size = Math.min(typeof body.MaxResults === 'number' ? body.MaxResults : 50, world.lookupPageCap ?? 50);
  const page = events.slice(offset, offset + size);
  const next = offset + size < events.length ? `page-${offset + size}` : undefined;
  return jsonOk(req, {
    Events: page.map((e) => ({
      EventId: e.record.eventID,
      EventName: e.record.eventName,
      EventTime: epochSeconds(e.record.eventTime),
      EventSource: e.record.eventSource,
      ReadOnly: String(e.record.readOnly ?? true),
      CloudTrailEvent: JSON.stringify(e.record),
    })),
    ...(next ? { NextToken: next } : {}),
  });
}
