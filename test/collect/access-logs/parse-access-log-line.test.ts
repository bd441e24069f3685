import { describe, expect, it } from 'vitest';
import {
  FieldBounds,
  parseAccessLogLine,
  parseLogTime,
  splitAccessLogLine,
} from '../../../src/collect/access-logs/parse-access-log-line.js';

const OWNER = '6e3f9b2c4a1d8e7f0b5c3a9d2e4f6a8b1c3d5e7f9a0b2c4d6e8f0a1b3c5d7e9f';

describe('parseAccessLogLine', () => {
  it('reads every field of a current (27-field) line, decoding the key and keeping spaces inside quotes', () => {
    const line = `${OWNER} acme-data [31/Oct/2026:12:00:00 +0000] 192.0.2.44 arn:aws:sts::111122223333:assumed-role/etl/job-42 GETOK0001 REST.GET.OBJECT etl/in%20put.parquet "GET /etl/in%20put.parquet?x-user=ann HTTP/1.1" 200 - 1048576 2097152 30 12 "https://console.example/x y" "aws-sdk-go-v2/1.30.0 os/linux" 3HL4kqtJvjVBH40Nrjfkd aG9zdGlkMDg= SigV4 TLS_AES_256_GCM_SHA384 QueryString acme-data.s3.eu-west-1.amazonaws.com TLSv1.3 arn:aws:s3:eu-west-1:111122223333:accesspoint/etl-ap Yes eu-west-1`;
    const parsed = parseAccessLogLine(line);
    expect(parsed).toEqual({
      ok: true,
      record: {
        bucketOwner: OWNER,
        bucket: 'acme-data',
        time: '2026-10-31T12:00:00.000Z',
        epochMs: Date.UTC(2026, 9, 31, 12, 0, 0),
        remoteIp: '192.0.2.44',
        requester: 'arn:aws:sts::111122223333:assumed-role/etl/job-42',
        requestId: 'GETOK0001',
        operation: 'REST.GET.OBJECT',
        key: 'etl/in put.parquet',
        requestUri: 'GET /etl/in%20put.parquet?x-user=ann HTTP/1.1',
        httpStatus: 200,
        errorCode: null,
        bytesSent: 1048576,
        objectSize: 2097152,
        totalTimeMs: 30,
        turnAroundTimeMs: 12,
        referer: 'https://console.example/x y',
        userAgent: 'aws-sdk-go-v2/1.30.0 os/linux',
        versionId: '3HL4kqtJvjVBH40Nrjfkd',
        hostId: 'aG9zdGlkMDg=',
        signatureVersion: 'SigV4',
        cipherSuite: 'TLS_AES_256_GCM_SHA384',
        authenticationType: 'QueryString',
        hostHeader: 'acme-data.s3.eu-west-1.amazonaws.com',
        tlsVersion: 'TLSv1.3',
        accessPointArn: 'arn:aws:s3:eu-west-1:111122223333:accesspoint/etl-ap',
        aclRequired: 'Yes',
        sourceRegion: 'eu-west-1',
        extraFields: [],
        fieldCount: 27,
      },
    });
  });

  it('reads the oldest vintage (18 fields, ending with Version Id): later fields are null', () => {
    const line = `${OWNER} acme-data [07/Oct/2026:10:00:00 +0000] 192.0.2.44 ${OWNER} DENY0004 REST.PUT.OBJECT old/client.dat "PUT /acme-data/old/client.dat HTTP/1.1" 403 AccessDenied 243 - 6 - "-" "S3Console/0.4" -`;
    const parsed = parseAccessLogLine(line);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.record.fieldCount).toBe(18);
    expect(parsed.record.httpStatus).toBe(403);
    expect(parsed.record.errorCode).toBe('AccessDenied');
    expect(parsed.record.objectSize).toBeNull();
    expect(parsed.record.referer).toBeNull();
    expect(parsed.record.hostId).toBeNull();
    expect(parsed.record.cipherSuite).toBeNull();
    expect(parsed.record.tlsVersion).toBeNull();
  });

  it('keeps fields S3 may add after Source region', () => {
    const line = `${OWNER} b [01/Oct/2026:00:00:00 +0000] 192.0.2.1 - R1 REST.GET.OBJECT k "GET /k HTTP/1.1" 200 - 1 1 1 1 "-" "ua" - h SigV4 C AuthHeader host TLSv1.2 - No eu-west-1 future-a future-b`;
    const parsed = parseAccessLogLine(line);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.record.extraFields).toEqual(['future-a', 'future-b']);
    expect(parsed.record.requester).toBeNull();
  });

  it('rejects a line cut inside a quoted field, a short line and a bad time, saying why', () => {
    expect(
      parseAccessLogLine(
        `${OWNER} b [01/Oct/2026:00:00:00 +0000] 1.2.3.4 - R1 REST.PUT.OBJECT k "PUT /k HTTP/1.1" 403 AccessDenied 1 - 1 - "-" "ua`,
      ),
    ).toEqual({
      ok: false,
      message: 'unterminated quoted field 17',
    });
    expect(parseAccessLogLine('this is not a log line')).toEqual({
      ok: false,
      message: '6 fields, a record has at least 17',
    });
    const badTime = parseAccessLogLine(
      `${OWNER} b [01/Okt/2026:00:00:00 +0000] 1.2.3.4 - R1 REST.PUT.OBJECT k "PUT /k HTTP/1.1" 403 AccessDenied 1 - 1 - "-" "ua" -`,
    );
    expect(badTime.ok).toBe(false);
  });

  it('applies the time zone offset of the log time', () => {
    const line = '01/Oct/2026:02:00:00 +0200';
    expect(new Date(parseLogTime(line, 0, line.length)).toISOString()).toBe('2026-10-01T00:00:00.000Z');
  });

  it('reads every month name and no other: a wrong case or a near miss is not a time', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    months.forEach((m, i) => {
      const line = `15/${m}/2026:10:20:30 +0000`;
      expect(parseLogTime(line, 0, line.length)).toBe(Date.UTC(2026, i, 15, 10, 20, 30));
    });
    for (const m of ['jan', 'JAN', 'Jam', 'Ja ', 'Dez']) {
      const line = `15/${m}/2026:10:20:30 +0000`;
      expect(parseLogTime(line, 0, line.length)).toBeNaN();
    }
  });
});

describe('splitAccessLogLine over a range of a longer text', () => {
  const line = `${OWNER} acme [01/Oct/2026:00:00:00 +0000] 1.2.3.4 - R1 REST.PUT.OBJECT k "PUT /k HTTP/1.1" 403 AccessDenied 1 - 1 - "-" "ua x"`;

  it('gives bounds inside the text, the same fields as the line alone', () => {
    const text = `first line\n${line}\nlast "line"`;
    const from = text.indexOf(OWNER);
    const b = new FieldBounds();
    expect(splitAccessLogLine(text, b, from, from + line.length)).toBe(true);
    expect(b.count).toBe(17);
    const fields = Array.from({ length: b.count }, (_, i) => text.slice(b.start[i], b.end[i]));
    const alone = new FieldBounds();
    expect(splitAccessLogLine(line, alone)).toBe(true);
    expect(fields).toEqual(Array.from({ length: alone.count }, (_, i) => line.slice(alone.start[i], alone.end[i])));
    expect(fields[1]).toBe('acme');
    expect(fields[2]).toBe('01/Oct/2026:00:00:00 +0000');
    expect(fields[16]).toBe('ua x');
  });

  it('does not close a quote or a bracket, nor end a field, with what follows the range', () => {
    const b = new FieldBounds();
    const cutQuote = line.slice(0, line.length - 1);
    expect(splitAccessLogLine(`${cutQuote}\n"next"`, b, 0, cutQuote.length)).toBe(false);
    expect(b.error).toBe('unterminated quoted field 17');
    const cutBracket = `${OWNER} acme [01/Oct/2026:00:00:00`;
    expect(splitAccessLogLine(`${cutBracket}\n+0000] x`, b, 0, cutBracket.length)).toBe(false);
    expect(b.error).toBe('unterminated bracketed field 3');
    const text = `${line} extra\nmore`;
    expect(splitAccessLogLine(text, b, 0, line.length + 6)).toBe(true);
    expect(b.count).toBe(18);
    expect(text.slice(b.start[17], b.end[17])).toBe('extra');
  });
});
