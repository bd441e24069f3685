import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { KmsManagementRecord } from '../../model/export-rows.js';
import type { MergedDeniedUpload } from '../../model/export-rows.js';
import type { KeyUsageRow } from '../../model/export-rows.js';
import { csvRecord, type CsvValue } from '../../format/csv.js';

/** Log values come from requesters (keys, user agents): the one CSV writer neutralises formula starts. */
function csvLine(cells: readonly CsvValue[]): string {
  return csvRecord(cells);
}

const DENIED_UPLOADS_COLUMNS = [
  'time',
  'day',
  'bucket',
  'key',
  'operation',
  'reason',
  'seen_in',
  'request_id',
  'principal',
  'principal_kind',
  'source_ip',
  'user_agent',
  'sse_header',
  'evidence',
] as const;

export function* deniedUploadsCsvLines(rows: Iterable<MergedDeniedUpload>): Generator<string> {
  yield csvLine(DENIED_UPLOADS_COLUMNS);
  for (const r of rows) {
    yield csvLine([
      r.time,
      r.day,
      r.bucket,
      r.key,
      r.operation,
      r.reason,
      r.seenIn,
      r.requestId,
      r.principal,
      r.principalKind,
      r.sourceIp,
      r.userAgent,
      r.sseHeader === undefined ? '' : r.sseHeader === null ? '(none)' : r.sseHeader,
      r.evidence.join(' '),
    ]);
  }
}

const KEY_USAGE_COLUMNS = [
  'key_arn',
  'principal',
  'principal_kind',
  'expected',
  'operation',
  'day',
  'bucket',
  'calls',
  'failures',
  'error_codes',
  'via',
  'first_seen',
  'last_seen',
] as const;

export function* keyUsageCsvLines(rows: Iterable<KeyUsageRow>): Generator<string> {
  yield csvLine(KEY_USAGE_COLUMNS);
  for (const r of rows) {
    const codes = Object.entries(r.errorCodes)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([c, n]) => `${c}=${n}`)
      .join(' ');
    yield csvLine([
      r.keyArn,
      r.principal,
      r.kind,
      r.expected === null ? 'not configured' : r.expected ? 'yes' : 'no',
      r.operation,
      r.day,
      r.bucket,
      r.calls,
      r.failures,
      codes,
      r.via.join(' '),
      r.firstSeen,
      r.lastSeen,
    ]);
  }
}

const KEY_MANAGEMENT_COLUMNS = [
  'key_arn',
  'time',
  'event',
  'principal',
  'principal_kind',
  'source_ip',
  'error_code',
  'detail',
  'request_id',
  'event_id',
] as const;

export function* keyManagementCsvLines(events: Iterable<KmsManagementRecord>): Generator<string> {
  yield csvLine(KEY_MANAGEMENT_COLUMNS);
  for (const e of events) {
    yield csvLine([
      e.keyArn,
      e.time,
      e.eventName,
      e.principal,
      e.kind,
      e.sourceIp,
      e.errorCode,
      e.detail,
      e.requestId,
      e.eventId,
    ]);
  }
}

/** Writes lines to `out`, waiting when it asks for it; resolves with the number of data rows (header excluded). */
export async function writeLines(lines: Iterable<string>, out: Writable): Promise<number> {
  let count = -1;
  for (const line of lines) {
    count++;
    if (!out.write(line)) await once(out, 'drain');
  }
  return Math.max(count, 0);
}

export function writeDeniedUploadsCsv(rows: Iterable<MergedDeniedUpload>, out: Writable): Promise<number> {
  return writeLines(deniedUploadsCsvLines(rows), out);
}
