import { zoneDayLabeler } from '../../format/zone-day.js';
import type { SkippedLines, SkippedMark } from '../access-logs/skipped-lines.js';
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
import {
  DEFAULT_MAX_DENIED_UPLOADS,
  type CloudTrailDeniedUpload,
  type CloudTrailScan,
  type KmsManagementRecord,
} from '../../evidence/log-scans.js';
import { countPastLimit } from '../workers/denied-upload-limit.js';
import { KmsTallies, type KmsTally } from './kms-tallies.js';
import { EventIdSet } from './event-id-set.js';
import { eventIdOf, KmsEventBatchBuilder, type KmsBatchMark, type KmsEventBatch } from './kms-event-batch.js';

/**
 * KMS event ids fetched another way (LookupEvents): those this reader counts are added to `seen`, so
 * the other source can leave them out and each event is counted once.
 */
export interface KmsEventIdWatch {
  eventIds: ReadonlySet<string>;
  seen: Set<string>;
}

/**
 * A key-management event as found elsewhere (the Athena engine's rows), for addFound: plain data,
 * checked like the reader's own against the events already counted.
 */
export interface KmsManagementSummary {
  eventId?: string;
  records: KmsManagementRecord[];
}

/**
 * What reading some files found that depends on what other files hold (the same event delivered
 * twice counts once): kept in reading order and added with `addFound`, in file order.
 */
export interface CloudTrailFound {
  denied: CloudTrailDeniedUpload[];
  /** Denied upload records found past the reader's limit: counted, not kept. */
  deniedNotItemised: number;
  kms: KmsEventBatch;
}

export interface CloudTrailReaderOptions {
  watch?: KmsEventIdWatch | undefined;
  /** Denied upload records itemised, the first found; past it they are counted in `scan.deniedPastLimit`. Default DEFAULT_MAX_DENIED_UPLOADS. */
  maxDenied?: number | undefined;
  /** A worker's reader: whether the scan it reads for has taken `maxDenied` records already. */
  scanFull?: (() => boolean) | undefined;
}

/** Where a reader stood (CloudTrailRecordReader.mark). */
export interface ReaderMark {
  recordsRead: number;
  recordsInPeriod: number;
  s3DataEvents: number;
  skipped: SkippedMark;
  denied: number;
  deniedNotItemised: number;
  kms: KmsBatchMark;
}

/**
 * Turns CloudTrail records (of trail files or LookupEvents) into a scan's denied uploads, S3
 * coverage and KMS tallies: `readRecords` per batch, then `finish` once. Denied uploads and KMS
 * events are kept unchecked as read; `takeFound` hands them to another reader's `addFound` (a
 * worker's files to the scan), or `finish` adds them to this reader's own scan.
 */
export class CloudTrailRecordReader {
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly dayOf: (ms: number) => string;
  private readonly tallies = new KmsTallies();
  /** Denied uploads by eventID: the same event in two trails is one event. */
  private readonly deniedEventIds = new Set<string>();
  /** KMS events by eventID: a record delivered twice (two trails, a file repeated) counts once. */
  private readonly kmsEventIds = new EventIdSet();
  /** What this reader has read and not yet added up or handed on. */
  private denied: CloudTrailDeniedUpload[] = [];
  private deniedNotItemised = 0;
  /** Denied upload records added to the scan (copies of one event too): the limit counts these. */
  private deniedTaken = 0;
  private readonly kms = new KmsEventBatchBuilder();
  /** Since mark(): each S3 data event's (day counts, day) counted, for undo(). */
  private bucketDayUndo: Array<Record<string, number> | string> | undefined;

  private readonly watch: KmsEventIdWatch | undefined;
  private readonly maxDenied: number;
  private readonly scanFull: (() => boolean) | undefined;

  constructor(
    period: { startUtc: string; endUtc: string; timeZone: string },
    private readonly skipped: SkippedLines,
    private readonly scan: CloudTrailScan,
    options: CloudTrailReaderOptions = {},
  ) {
    this.watch = options.watch;
    this.maxDenied = options.maxDenied ?? DEFAULT_MAX_DENIED_UPLOADS;
    this.scanFull = options.scanFull;
    this.startMs = Date.parse(period.startUtc);
    this.endMs = Date.parse(period.endUtc);
    this.dayOf = zoneDayLabeler(period.timeZone);
  }

  /** `firstIndex`: the 1-based index of records[0] in its file (or LookupEvents page). */
  readRecords(file: string, records: unknown[], firstIndex = 1): void {
    for (let i = 0; i < records.length; i++) this.readRecord(file, firstIndex + i, records[i]);
  }

  /** `index`: the record's 1-based index in its file (or LookupEvents page). */
  readRecord(file: string, index: number, record: unknown): void {
    this.scan.recordsRead++;
    const r = record as CloudTrailRecord | null;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      this.skipped.add(file, index, 'record is not an object');
      return;
    }
    const source = r.eventSource;
    if (source !== 's3.amazonaws.com' && source !== 'kms.amazonaws.com') return;
    const ms = typeof r.eventTime === 'string' ? Date.parse(r.eventTime) : NaN;
    if (Number.isNaN(ms) || typeof r.eventName !== 'string') {
      this.skipped.add(file, index, 'no valid eventTime or eventName');
      return;
    }
    if (ms < this.startMs || ms >= this.endMs) return;
    this.scan.recordsInPeriod++;
    if (source === 's3.amazonaws.com') this.readS3(file, index, r, ms);
    else this.readKms(r, ms);
  }

  /** Denied upload records added to the scan so far (what its limit counts). */
  get deniedRecordsTaken(): number {
    return this.deniedTaken;
  }

  /**
   * Where this reader stands, to undo what it reads next (a file read record by record that turns
   * out unreadable must add nothing): `undo(mark)` takes it back there.
   */
  mark(): ReaderMark {
    this.bucketDayUndo = [];
    return {
      recordsRead: this.scan.recordsRead,
      recordsInPeriod: this.scan.recordsInPeriod,
      s3DataEvents: this.scan.s3DataEvents,
      skipped: this.skipped.mark(),
      denied: this.denied.length,
      deniedNotItemised: this.deniedNotItemised,
      kms: this.kms.mark(),
    };
  }

  undo(mark: ReaderMark): void {
    this.scan.recordsRead = mark.recordsRead;
    this.scan.recordsInPeriod = mark.recordsInPeriod;
    this.scan.s3DataEvents = mark.s3DataEvents;
    this.skipped.undo(mark.skipped);
    this.denied.length = mark.denied;
    this.deniedNotItemised = mark.deniedNotItemised;
    this.kms.undo(mark.kms);
    const counted = this.bucketDayUndo ?? [];
    for (let i = 0; i < counted.length; i += 2) {
      const days = counted[i] as Record<string, number>;
      const day = counted[i + 1] as string;
      days[day]! -= 1;
      if (days[day] === 0) Reflect.deleteProperty(days, day);
    }
    for (const [bucket, days] of Object.entries(this.scan.s3DataEventsByBucketDay)) {
      if (Object.keys(days).length === 0) Reflect.deleteProperty(this.scan.s3DataEventsByBucketDay, bucket);
    }
    this.bucketDayUndo = undefined;
  }

  /** What has been read since `mark` stays: nothing more is kept to undo it. */
  keep(): void {
    this.bucketDayUndo = undefined;
  }

  private readS3(file: string, index: number, r: CloudTrailRecord, ms: number): void {
    if (!isS3DataEvent(r)) return;
    this.scan.s3DataEvents++;
    const bucket = bucketOfS3Event(r);
    if (bucket !== null) {
      const days = (this.scan.s3DataEventsByBucketDay[bucket] ??= {});
      const day = this.dayOf(ms);
      days[day] = (days[day] ?? 0) + 1;
      this.bucketDayUndo?.push(days, day);
    }
    if (r.errorCode !== 'AccessDenied' || !UPLOAD_EVENT_NAMES.has(r.eventName!)) return;
    if (this.denied.length >= this.maxDenied || this.scanFull?.()) {
      this.deniedNotItemised++;
      return;
    }
    const who = principalOf(r.userIdentity);
    this.denied.push({
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
    const eventId = r.eventID || undefined;
    const keys = keyArnsOf(r);
    const keyArns = keys.length > 0 ? keys : ['unknown'];
    const who = principalOf(r.userIdentity);
    if (!crypto) {
      const detail = managementDetail(r);
      const time = new Date(ms).toISOString();
      this.kms.addManagement(
        eventId,
        ms,
        keyArns.map((keyArn) => ({
          keyArn,
          time,
          eventName: name,
          principal: who.principal,
          kind: who.kind,
          ...(r.sourceIPAddress ? { sourceIp: r.sourceIPAddress } : {}),
          ...(r.errorCode ? { errorCode: r.errorCode } : {}),
          ...(r.requestID ? { requestId: r.requestID } : {}),
          ...(r.eventID ? { eventId: r.eventID } : {}),
          ...(detail ? { detail } : {}),
        })),
      );
      return;
    }
    this.kms.addCall(
      eventId,
      ms,
      {
        keyArns,
        principal: who.principal,
        kind: who.kind,
        operation: name,
        day: this.dayOf(ms),
        bucket: bucketOfKmsEvent(r) ?? '',
      },
      r.errorCode || undefined,
      who.via,
    );
  }

  /** What this reader has read since it started or was last asked, unchecked, for another reader's `addFound`. */
  takeFound(): CloudTrailFound {
    const found = { denied: this.denied, deniedNotItemised: this.deniedNotItemised, kms: this.kms.take() };
    this.denied = [];
    this.deniedNotItemised = 0;
    return found;
  }

  /**
   * Another reader's finds, read after everything this one has added up: each denied upload and
   * KMS event whose eventID was already counted is left out.
   */
  addFound(found: {
    denied: readonly CloudTrailDeniedUpload[];
    deniedNotItemised?: number;
    kms?: KmsEventBatch;
    management?: readonly KmsManagementSummary[];
  }): void {
    for (const d of found.denied) this.addDenied(d);
    if (found.deniedNotItemised) countPastLimit(this.scan, this.maxDenied, found.deniedNotItemised);
    if (found.kms) this.addKmsEvents(found.kms);
    for (const m of found.management ?? [])
      this.addKmsEvent(m.eventId, () => {
        for (const record of m.records) this.scan.kmsManagementEvents.push(record);
      });
  }

  /**
   * The limit counts records, copies of one event too, so a batch read elsewhere (a worker, which
   * knows nothing of the events before it) stops keeping them exactly where this reader would: past
   * the first `maxDenied` records in file order every one is counted (see DeniedUploadLimit).
   */
  private addDenied(d: CloudTrailDeniedUpload): void {
    if (this.deniedTaken >= this.maxDenied) {
      countPastLimit(this.scan, this.maxDenied);
      return;
    }
    this.deniedTaken++;
    if (d.eventId && this.deniedEventIds.has(d.eventId)) return;
    if (d.eventId) this.deniedEventIds.add(d.eventId);
    this.scan.denied.push(d);
  }

  /** Counts a KMS event not counted before (by eventID): `add` adds what it holds. */
  private addKmsEvent(eventId: string | undefined, add: () => void): void {
    if (eventId && !this.kmsEventIds.addNew(eventId)) return;
    this.scan.kmsEvents++;
    if (eventId && this.watch?.eventIds.has(eventId)) this.watch.seen.add(eventId);
    add();
  }

  private addKmsEvents(batch: KmsEventBatch): void {
    // Tallies of each call shape, opened at its first event counted.
    const talliesOf: Array<KmsTally[] | undefined> = [];
    for (let i = 0; i < batch.ids.length; i++) {
      const g = 4 * i;
      if (batch.isGuid[i] === 1) {
        const words = batch.guids;
        if (!this.kmsEventIds.addNewGuid(words[g]!, words[g + 1]!, words[g + 2]!, words[g + 3]!)) continue;
      } else if (batch.ids[i] !== '' && !this.kmsEventIds.addNew(batch.ids[i]!)) continue;
      this.scan.kmsEvents++;
      if (this.watch && this.watch.eventIds.size > 0) {
        const id = eventIdOf(batch, i);
        if (id !== '' && this.watch.eventIds.has(id)) this.watch.seen.add(id);
      }
      const s = batch.shape[i]!;
      if (s < 0) {
        for (const record of batch.management[-1 - s]!) this.scan.kmsManagementEvents.push(record);
        continue;
      }
      let tallies = talliesOf[s];
      if (!tallies) {
        const { keyArns, principal, kind, operation, day, bucket } = batch.shapes[s]!;
        tallies = keyArns.map((keyArn) => this.tallies.tally({ keyArn, principal, kind, operation, day, bucket }));
        talliesOf[s] = tallies;
      }
      const ms = batch.ms[i]!;
      const e = batch.errorCode[i]!;
      const v = batch.via[i]!;
      const errorCode = e < 0 ? undefined : batch.texts[e];
      const via = v < 0 ? undefined : batch.texts[v];
      for (const t of tallies) this.tallies.count(t, 1, ms, ms, errorCode, via);
    }
  }

  /** Adds up what this reader read itself, then puts the scan's lists in their one order. */
  finish(): void {
    if (this.denied.length > 0 || this.deniedNotItemised > 0 || this.kms.size > 0) this.addFound(this.takeFound());
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
