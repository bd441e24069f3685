import { ACCESS_LOG_FIELDS, MINIMUM_FIELDS, type AccessLogRecord } from './access-log-record.js';

/** More fields than this on one line is not a log record. */
const MAX_FIELDS = 64;

/**
 * Field boundaries of one line, reused across lines so the hot path allocates nothing.
 * Quoted fields ("…") may hold spaces; the bracketed time holds one. Bounds exclude the
 * quotes and brackets.
 */
export class FieldBounds {
  readonly start = new Int32Array(MAX_FIELDS);
  readonly end = new Int32Array(MAX_FIELDS);
  count = 0;
  /** Why the last line could not be split, when `split` returned false. */
  error = '';
}

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACKET = 91;

/**
 * Splits the line at [from, to) of `text` (default the whole of it) into fields; false (with
 * `bounds.error`) when the line is not well formed. Bounds are offsets into `text`, so a reader can
 * split the lines of a whole file without cutting each one out first.
 */
export function splitAccessLogLine(text: string, bounds: FieldBounds, from = 0, to = text.length): boolean {
  let pos = from;
  let n = 0;
  while (pos < to) {
    if (n === MAX_FIELDS) return fail(bounds, `more than ${MAX_FIELDS} fields`);
    const c = text.charCodeAt(pos);
    let start: number;
    let end: number;
    let next: number;
    if (c === QUOTE) {
      start = pos + 1;
      end = text.indexOf('"', start);
      while (end >= 0 && end < to && text.charCodeAt(end - 1) === BACKSLASH) end = text.indexOf('"', end + 1);
      if (end < 0 || end >= to) return fail(bounds, `unterminated quoted field ${n + 1}`);
      next = end + 1;
    } else if (c === OPEN_BRACKET) {
      start = pos + 1;
      end = text.indexOf(']', start);
      if (end < 0 || end >= to) return fail(bounds, `unterminated bracketed field ${n + 1}`);
      next = end + 1;
    } else {
      start = pos;
      end = text.indexOf(' ', pos);
      if (end < 0 || end > to) end = to;
      next = end;
    }
    bounds.start[n] = start;
    bounds.end[n] = end;
    n++;
    if (next < to && text.charCodeAt(next) !== SPACE) return fail(bounds, `no space after field ${n}`);
    pos = next + 1;
  }
  bounds.count = n;
  if (n < MINIMUM_FIELDS) return fail(bounds, `${n} fields, a record has at least ${MINIMUM_FIELDS}`);
  return true;
}

function fail(bounds: FieldBounds, message: string): false {
  bounds.error = message;
  bounds.count = 0;
  return false;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Three UTF-16 code units as one number: a month name looked up without cutting it out of the line. */
const threeChars = (a: number, b: number, c: number): number => a * 2 ** 32 + b * 2 ** 16 + c;

const MONTHS: ReadonlyMap<number, number> = new Map(
  MONTH_NAMES.map((m, i) => [threeChars(m.charCodeAt(0), m.charCodeAt(1), m.charCodeAt(2)), i]),
);

function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/**
 * Milliseconds since the epoch of the log time `06/Feb/2019:00:00:38 +0000` (strftime
 * `%d/%b/%Y:%H:%M:%S %z`, brackets already removed) found at [start, end) of `line`; NaN when malformed.
 */
export function parseLogTime(line: string, start: number, end: number): number {
  if (end - start !== 26) return NaN;
  const s = start;
  const day = twoDigits(line, s);
  const month = MONTHS.get(threeChars(line.charCodeAt(s + 3), line.charCodeAt(s + 4), line.charCodeAt(s + 5)));
  const year = twoDigits(line, s + 7) * 100 + twoDigits(line, s + 9);
  const hour = twoDigits(line, s + 12);
  const minute = twoDigits(line, s + 15);
  const second = twoDigits(line, s + 18);
  const sign = line.charCodeAt(s + 21);
  const offset = twoDigits(line, s + 22) * 60 + twoDigits(line, s + 24);
  if (month === undefined || (sign !== 43 && sign !== 45)) return NaN;
  if (line.charCodeAt(s + 2) !== 47 || line.charCodeAt(s + 11) !== 58 || line.charCodeAt(s + 20) !== SPACE) return NaN;
  const ms = Date.UTC(year, month, day, hour, minute, second) - (sign === 43 ? offset : -offset) * 60_000;
  if (Number.isNaN(ms) || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  return ms;
}

/** Decodes the log's URL-encoded key; a key that is not valid percent-encoding is returned as logged. */
export function decodeLoggedKey(raw: string): string {
  if (raw.indexOf('%') < 0) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export type ParsedAccessLogLine = { ok: true; record: AccessLogRecord } | { ok: false; message: string };

/** Parses one line into every documented field (see AccessLogRecord). */
export function parseAccessLogLine(rawLine: string, bounds: FieldBounds = new FieldBounds()): ParsedAccessLogLine {
  const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
  if (!splitAccessLogLine(line, bounds)) return { ok: false, message: bounds.error };
  const text = (i: number): string | null => {
    if (i >= bounds.count) return null;
    const v = line.slice(bounds.start[i], bounds.end[i]);
    return v === '-' ? null : v;
  };
  let badNumber = '';
  const num = (i: number): number | null => {
    const v = text(i);
    if (v === null) return null;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      badNumber ||= `${ACCESS_LOG_FIELDS[i]} "${v}" is not a number`;
      return null;
    }
    return n;
  };
  const epochMs = parseLogTime(line, bounds.start[2]!, bounds.end[2]!);
  if (Number.isNaN(epochMs))
    return {
      ok: false,
      message: `time "${line.slice(bounds.start[2], bounds.end[2])}" is not [dd/Mon/yyyy:HH:MM:SS ±hhmm]`,
    };
  const bucket = text(1);
  const requestId = text(5);
  const operation = text(6);
  if (bucket === null || requestId === null || operation === null)
    return { ok: false, message: 'bucket, request ID or operation is "-"' };
  const rawKey = text(7);
  const record: AccessLogRecord = {
    bucketOwner: text(0),
    bucket,
    time: new Date(epochMs).toISOString(),
    epochMs,
    remoteIp: text(3),
    requester: text(4),
    requestId,
    operation,
    key: rawKey === null ? null : decodeLoggedKey(rawKey),
    requestUri: text(8),
    httpStatus: num(9),
    errorCode: text(10),
    bytesSent: num(11),
    objectSize: num(12),
    totalTimeMs: num(13),
    turnAroundTimeMs: num(14),
    referer: text(15),
    userAgent: text(16),
    versionId: text(17),
    hostId: text(18),
    signatureVersion: text(19),
    cipherSuite: text(20),
    authenticationType: text(21),
    hostHeader: text(22),
    tlsVersion: text(23),
    accessPointArn: text(24),
    aclRequired: text(25),
    sourceRegion: text(26),
    extraFields: [],
    fieldCount: bounds.count,
  };
  for (let i = ACCESS_LOG_FIELDS.length; i < bounds.count; i++)
    record.extraFields.push(line.slice(bounds.start[i], bounds.end[i]));
  if (badNumber) return { ok: false, message: badNumber };
  return { ok: true, record };
}
