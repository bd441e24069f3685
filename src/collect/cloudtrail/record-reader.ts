import { zoneDayLabeler } from '../../format/zone-day.js';
import type { SkippedLines } from '../access-logs/skipped-lines.js';
import type { CloudTrailRecord } from '../../evidence/cloudtrail-record.js';
import {
  bucketOfKmsEvent,
  keyArnsOf,
  KMS_CRYPTO_OPERATIONS,
  KMS_MANAGEMENT_EVENTS,
  managementDetail,
} from './kms-events.js';
import { principalOf } from '../../evidence/principal.js';
import {
  bucketOfS3Event,
  isS3DataEvent,
  keyOfS3Event,
  sseHeaderOf,
  transportOf,
  UPLOAD_EVENT_NAMES,
} from './s3-events.js';
import type { CloudTrailScan, KmsCallTally } from '../../evidence/log-scans.js';
import { compareKmsTallies } from '../../evidence/log-scans.js';

/**
 * KMS event ids fetched another way (LookupEvents): those this reader counts are added to `seen`, so
 * the other source can leave them out and each event is counted once.
 */
export interface KmsEventIdWatch {
  eventIds: ReadonlySet<string>;
  seen: Set<string>;
}

/**
 * Turns CloudTrail records (of trail files or LookupEvents) into a scan's denied uploads, S3
 * coverage and KMS tallies: `readRecords` per batch, then `finish` once.
 */
export class CloudTrailRecordReader {
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly dayOf: (ms: number) => string;
  private readonly tallies = new Map<string, KmsCallTally & { viaSet: Set<string>; firstMs: number; lastMs: number }>();
  /** Denied uploads by eventID: the same event in two trails is one event. */
  private readonly deniedEventIds = new Set<string>();
  /** KMS events by eventID: a record delivered twice (two trails, a file repeated) counts once. */
  private readonly kmsEventIds = new Set<string>();

  constructor(
    period: { startUtc: string; endUtc: string; timeZone: string },
    private readonly skipped: SkippedLines,
    private readonly scan: CloudTrailScan,
    private readonly watch?: KmsEventIdWatch,
  ) {
    this.startMs = Date.parse(period.startUtc);
    this.endMs = Date.parse(period.endUtc);
    this.dayOf = zoneDayLabeler(period.timeZone);
  }

  /** `firstIndex`: the 1-based index of records[0] in its file (or LookupEvents page). */
  readRecords(file: string, records: unknown[], firstIndex = 1): void {
    for (let i = 0; i < records.length; i++) {
      this.scan.recordsRead++;
      const index = firstIndex + i;
      const r = records[i] as CloudTrailRecord | null;
      if (r === null || typeof r !== 'object' || Array.isArray(r)) {
        this.skipped.add(file, index, 'record is not an object');
        continue;
      }
      const source = r.eventSource;
      if (source !== 's3.amazonaws.com' && source !== 'kms.amazonaws.com') continue;
      const ms = typeof r.eventTime === 'string' ? Date.parse(r.eventTime) : NaN;
      if (Number.isNaN(ms) || typeof r.eventName !== 'string') {
        this.skipped.add(file, index, 'no valid eventTime or eventName');
        continue;
      }
      if (ms < this.startMs || ms >= this.endMs) continue;
      this.scan.recordsInPeriod++;
      if (source === 's3.amazonaws.com') this.readS3(file, index, r, ms);
      else this.readKms(r, ms);
    }
  }

  private readS3(file: string, index: number, r: CloudTrailRecord, ms: number): void {
    if (!isS3DataEvent(r)) return;
    this.scan.s3DataEvents++;
    const bucket = bucketOfS3Event(r);
    if (bucket !== null) {
      const days = (this.scan.s3DataEventsByBucketDay[bucket] ??= {});
      const day = this.dayOf(ms);
      days[day] = (days[day] ?? 0) + 1;
    }
    if (r.errorCode !== 'AccessDenied' || !UPLOAD_EVENT_NAMES.has(r.eventName!)) return;
    if (r.eventID) {
      if (this.deniedEventIds.has(r.eventID)) return;
      this.deniedEventIds.add(r.eventID);
    }
    const who = principalOf(r.userIdentity);
    this.scan.denied.push({
      requestId: r.requestID ?? null,
      eventId: r.eventID ?? null,
      time: new Date(ms).toISOString(),
      epochMs: ms,
      bucket,
      key: keyOfS3Event(r),
      eventName: r.eventName!,
      principal: who.principal,
      principalKind: who.kind,
      sourceIp: r.sourceIPAddress ?? null,
      userAgent: r.userAgent ?? null,
      errorCode: r.errorCode,
      errorMessage: r.errorMessage ?? null,
      sseHeader: sseHeaderOf(r),
      transport: transportOf(r),
      account: r.recipientAccountId ?? null,
      region: r.awsRegion ?? null,
      file,
      record: index,
    });
  }

  private readKms(r: CloudTrailRecord, ms: number): void {
    const name = r.eventName!;
    const crypto = KMS_CRYPTO_OPERATIONS.has(name);
    if (!crypto && !KMS_MANAGEMENT_EVENTS.has(name)) return;
    if (r.eventID) {
      if (this.kmsEventIds.has(r.eventID)) return;
      this.kmsEventIds.add(r.eventID);
    }
    this.scan.kmsEvents++;
    if (r.eventID && this.watch?.eventIds.has(r.eventID)) this.watch.seen.add(r.eventID);
    const keys = keyArnsOf(r);
    const who = principalOf(r.userIdentity);
    if (!crypto) {
      const detail = managementDetail(r);
      for (const keyArn of keys.length > 0 ? keys : ['unknown']) {
        this.scan.kmsManagementEvents.push({
          keyArn,
          time: new Date(ms).toISOString(),
          eventName: name,
          principal: who.principal,
          kind: who.kind,
          ...(r.sourceIPAddress ? { sourceIp: r.sourceIPAddress } : {}),
          ...(r.errorCode ? { errorCode: r.errorCode } : {}),
          ...(r.requestID ? { requestId: r.requestID } : {}),
          ...(r.eventID ? { eventId: r.eventID } : {}),
          ...(detail ? { detail } : {}),
        });
      }
      return;
    }
    const day = this.dayOf(ms);
    const bucket = bucketOfKmsEvent(r) ?? '';
    for (const keyArn of keys.length > 0 ? keys : ['unknown']) {
      const id = `${keyArn}\t${who.principal}\t${name}\t${day}\t${bucket}`;
      let t = this.tallies.get(id);
      if (!t) {
        t = {
          keyArn,
          principal: who.principal,
          kind: who.kind,
          operation: name,
          day,
          bucket,
          calls: 0,
          failures: 0,
          errorCodes: {},
          via: [],
          firstSeen: '',
          lastSeen: '',
          viaSet: new Set(),
          firstMs: ms,
          lastMs: ms,
        };
        this.tallies.set(id, t);
      }
      t.calls++;
      if (r.errorCode) {
        t.failures++;
        t.errorCodes[r.errorCode] = (t.errorCodes[r.errorCode] ?? 0) + 1;
      }
      if (who.via) t.viaSet.add(who.via);
      if (ms < t.firstMs) t.firstMs = ms;
      if (ms > t.lastMs) t.lastMs = ms;
    }
  }

  finish(): void {
    this.scan.skipped = this.skipped.summary();
    this.scan.denied.sort((a, b) => a.epochMs - b.epochMs || ((a.eventId ?? '') < (b.eventId ?? '') ? -1 : 1));
    this.scan.kmsTallies = [...this.tallies.values()]
      .map(({ viaSet, firstMs, lastMs, ...t }) => ({
        ...t,
        via: [...viaSet].sort(),
        firstSeen: new Date(firstMs).toISOString(),
        lastSeen: new Date(lastMs).toISOString(),
      }))
      .sort(compareKmsTallies);
    this.scan.kmsManagementEvents.sort(
      (a, b) => cmp(a.keyArn, b.keyArn) || cmp(a.time, b.time) || cmp(a.eventId ?? '', b.eventId ?? ''),
    );
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
