import type { CloudTrailScan } from '../../evidence/log-scans.js';

export interface TrailEvent {
  principal: string;
  eventName: string;
}

/**
 * CloudTrail events the packet holds, by event id: KMS key-management events and refused uploads.
 * A configuration item's `relatedEvents` names the events behind the change; these find who made it.
 */
export function trailEventsById(cloudTrail: CloudTrailScan[] | null): Map<string, TrailEvent> {
  const byId = new Map<string, TrailEvent>();
  for (const scan of cloudTrail ?? []) {
    for (const e of scan.kmsManagementEvents)
      if (e.eventId && !byId.has(e.eventId)) byId.set(e.eventId, { principal: e.principal, eventName: e.eventName });
    for (const d of scan.denied)
      if (d.eventId && !byId.has(d.eventId)) byId.set(d.eventId, { principal: d.principal, eventName: d.eventName });
  }
  return byId;
}
