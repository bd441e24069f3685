import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { LogProblem } from '../../evidence/log-scans.js';
import { SkippedLines } from '../access-logs/skipped-lines.js';
import { attempt } from '../live/aws-call.js';
import { CloudTrailRecordReader } from './record-reader.js';
import { emptyCloudTrailScan } from './scan-cloudtrail.js';
import { type CloudTrailScan } from '../../evidence/log-scans.js';

/** The IAM action of the CloudTrail operation this module sends. */
export const LOOKUP_IAM_ACTION = { LookupEvents: 'cloudtrail:LookupEvents' } as const;

/** LookupEvents answers from the last 90 days of event history only. */
const HISTORY_DAYS = 90;
/** The largest page LookupEvents returns. */
const PAGE_SIZE = 50;

/** One event of a LookupEvents page: its `CloudTrailEvent` parsed, or why it could not be. */
interface LookedUpEvent {
  page: number;
  /** 1-based index in its page. */
  index: number;
  eventId?: string;
  record?: unknown;
  unreadable?: string;
}

/** KMS events of one account and region, as LookupEvents returned them (before the trail-file dedupe). */
export interface LookedUpKmsEvents {
  account: string;
  region: string;
  /** `cloudtrail:LookupEvents <account>/<region>`: the scan's location. */
  location: string;
  pages: number;
  events: LookedUpEvent[];
  problems: LogProblem[];
}

function lookupLocation(account: string, region: string): string {
  return `cloudtrail:LookupEvents ${account}/${region}`;
}

/**
 * Every KMS event (EventSource kms.amazonaws.com) of the period in one account and region, page by
 * page. The client is expected to be paced (2 requests per second per account and region) and to
 * retry throttling itself; a failed page ends the lookup with a problem naming the AWS error code
 * and request id, keeping the events already read.
 */
export async function lookupKmsEvents(args: {
  client: CloudTrailClient;
  /** Each page's call goes through it (the run's CallLimiter: a region given up on is not asked). */
  limit?: <T>(send: () => Promise<T>) => Promise<T>;
  account: string;
  region: string;
  period: { startUtc: string; endUtc: string };
  now?: Date;
}): Promise<LookedUpKmsEvents> {
  const location = lookupLocation(args.account, args.region);
  const out: LookedUpKmsEvents = {
    account: args.account,
    region: args.region,
    location,
    pages: 0,
    events: [],
    problems: [],
  };
  const now = args.now ?? new Date();
  const historyStart = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  if (Date.parse(args.period.startUtc) < historyStart.getTime()) {
    out.problems.push({
      file: location,
      message: `LookupEvents keeps ${HISTORY_DAYS} days of history: events before ${historyStart.toISOString()} are not available from it`,
    });
  }
  // Loaded here, not with the module: a run without a live lookup never loads the CloudTrail SDK.
  const { LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
  const limit = args.limit ?? ((send) => send());
  let token: string | undefined;
  do {
    const page = out.pages + 1;
    const r = await attempt(() =>
      limit(() =>
        args.client.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' }],
            StartTime: new Date(args.period.startUtc),
            EndTime: new Date(args.period.endUtc),
            MaxResults: PAGE_SIZE,
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      ),
    );
    if (!r.ok) {
      const status = r.error.httpStatus ? ` (HTTP ${r.error.httpStatus})` : '';
      const id = r.requestId ? ` [request id ${r.requestId}]` : '';
      const kept = out.pages > 0 ? `; the ${out.pages} page(s) before it are kept` : '';
      out.problems.push({
        file: location,
        message: `LookupEvents page ${page} failed: ${r.error.code}${status}: ${r.error.message}${id}${kept}`,
      });
      break;
    }
    out.pages = page;
    (r.output.Events ?? []).forEach((e, i) => out.events.push(parseEvent(page, i + 1, e.EventId, e.CloudTrailEvent)));
    token = r.output.NextToken;
  } while (token);
  return out;
}

function parseEvent(page: number, index: number, eventId: string | undefined, text: string | undefined): LookedUpEvent {
  const base = { page, index, ...(eventId ? { eventId } : {}) };
  if (text === undefined) return { ...base, unreadable: 'no CloudTrailEvent' };
  try {
    return { ...base, record: JSON.parse(text) as unknown };
  } catch (error) {
    return { ...base, unreadable: `CloudTrailEvent is not JSON: ${(error as Error).message}` };
  }
}

/**
 * The looked-up events as a scan, read by the same record reader as trail files. Events whose id is
 * in `counted` (already in the trail files or another lookup) are left out; the rest are added to it.
 */
export function lookupScan(
  fetched: LookedUpKmsEvents,
  period: { startUtc: string; endUtc: string; timeZone: string },
  counted: Set<string>,
): CloudTrailScan {
  const scan: CloudTrailScan = {
    ...emptyCloudTrailScan(fetched.location),
    problems: [...fetched.problems],
    duplicatesLeftOut: 0,
  };
  const skipped = new SkippedLines();
  const reader = new CloudTrailRecordReader(period, skipped, scan);
  for (const e of fetched.events) {
    const file = `page ${e.page}`;
    if (e.unreadable !== undefined) {
      scan.recordsRead++;
      skipped.add(file, e.index, e.unreadable);
      continue;
    }
    const id = e.eventId ?? (e.record as { eventID?: unknown } | null)?.eventID;
    if (typeof id === 'string') {
      if (counted.has(id)) {
        scan.recordsRead++;
        scan.duplicatesLeftOut!++;
        continue;
      }
      counted.add(id);
    }
    reader.readRecords(file, [e.record], e.index);
  }
  reader.finish();
  return scan;
}
