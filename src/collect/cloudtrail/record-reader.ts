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
import type { CloudTrailDeniedUpload, CloudTrailScan, KmsManagementRecord } from '../../evidence/log-scans.js';
import type { ResolvedPrincipal } from '../../evidence/principal.js';
import { KmsTallies } from './kms-tallies.js';

/**
 * KMS event ids fetched another way (LookupEvents): those this reader counts are added to `seen`, so
 * the other source can leave them out and each event is counted once.
 */
export interface KmsEventIdWatch {
  eventIds: ReadonlySet<string>;
  seen: Set<string>;
}

/**
 * A KMS event as the reader counts it, before it is checked against the events already counted:
 * plain data, so a worker thread can read files and the scan add its events up in file order.
 */
export type KmsEventSummary =
  | {
      crypto: true;
      eventId?: string;
      ms: number;
      operation: string;
      day: string;
      bucket: string;
      keyArns: string[];
      principal: string;
      kind: ResolvedPrincipal['kind'];
      via?: string;
      errorCode?: string;
    }
  | { crypto: false; eventId?: string; records: KmsManagementRecord[] };

/**
 * What reading some files found that depends on what other files hold (the same event delivered
 * twice counts once): kept in reading order and added with `addFound`, in file order.
 */
export interface CloudTrailFound {
  denied: CloudTrailDeniedUpload[];
  kmsEvents: KmsEventSummary[];
}

/**
 * Turns CloudTrail records (of trail files or LookupEvents) into a scan's denied uploads, S3
 * coverage and KMS tallies: `readRecords` per batch, then `finish` once. Given `found`, it keeps
 * denied uploads and KMS events there, unchecked, for another reader's `addFound`.
 */
export class CloudTrailRecordReader {
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly dayOf: (ms: number) => string;
  private readonly tallies = new KmsTallies();
  /** Denied uploads by eventID: the same event in two trails is one event. */
  private readonly deniedEventIds = new Set<string>();
  /** KMS events by eventID: a record delivered twice (two trails, a file repeated) counts once. */
  private readonly kmsEventIds = new Set<string>();

  constructor(
    period: { startUtc: string; endUtc: string; timeZone: string },
    private readonly skipped: SkippedLines,
    private readonly scan: CloudTrailScan,
    private readonly watch?: KmsEventIdWatch,
    private readonly found?: CloudTrailFound,
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
    if (!this.found && r.eventID && this.deniedEventIds.has(r.eventID)) return;
    const who = principalOf(r.userIdentity);
    this.addDenied({
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
    if (!this.found && r.eventID && this.kmsEventIds.has(r.eventID)) return;
    const eventId = r.eventID ? { eventId: r.eventID } : {};
    const keys = keyArnsOf(r);
    const keyArns = keys.length > 0 ? keys : ['unknown'];
    const who = principalOf(r.userIdentity);
    if (!crypto) {
      const detail = managementDetail(r);
      this.addKmsEvent({
        crypto: false,
        ...eventId,
        records: keyArns.map((keyArn) => ({
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
        })),
      });
      return;
    }
    this.addKmsEvent({
      crypto: true,
      ...eventId,
      ms,
      operation: name,
      day: this.dayOf(ms),
      bucket: bucketOfKmsEvent(r) ?? '',
      keyArns,
      principal: who.principal,
      kind: who.kind,
      ...(who.via ? { via: who.via } : {}),
      ...(r.errorCode ? { errorCode: r.errorCode } : {}),
    });
  }

  /** Another reader's finds, read after everything this one has read (so after its files). */
  addFound(found: CloudTrailFound): void {
    for (const d of found.denied) this.addDenied(d);
    for (const e of found.kmsEvents) this.addKmsEvent(e);
  }

  private addDenied(d: CloudTrailDeniedUpload): void {
    if (this.found) {
      this.found.denied.push(d);
      return;
    }
    if (d.eventId) {
      if (this.deniedEventIds.has(d.eventId)) return;
      this.deniedEventIds.add(d.eventId);
    }
    this.scan.denied.push(d);
  }

  private addKmsEvent(e: KmsEventSummary): void {
    if (this.found) {
      this.found.kmsEvents.push(e);
      return;
    }
    if (e.eventId) {
      if (this.kmsEventIds.has(e.eventId)) return;
      this.kmsEventIds.add(e.eventId);
    }
    this.scan.kmsEvents++;
    if (e.eventId && this.watch?.eventIds.has(e.eventId)) this.watch.seen.add(e.eventId);
    if (!e.crypto) {
      for (const record of e.records) this.scan.kmsManagementEvents.push(record);
      return;
    }
    const { ms, day, bucket, principal, operation } = e;
    for (const keyArn of e.keyArns)
      this.tallies.add({ keyArn, principal, kind: e.kind, operation, day, bucket }, 1, ms, ms, e.errorCode, e.via);
  }

  finish(): void {
    this.scan.skipped = this.skipped.summary();
    this.scan.denied.sort((a, b) => a.epochMs - b.epochMs || ((a.eventId ?? '') < (b.eventId ?? '') ? -1 : 1));
    this.scan.kmsTallies = this.tallies.done();
    this.scan.kmsManagementEvents.sort(
      (a, b) => cmp(a.keyArn, b.keyArn) || cmp(a.time, b.time) || cmp(a.eventId ?? '', b.eventId ?? ''),
    );
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
