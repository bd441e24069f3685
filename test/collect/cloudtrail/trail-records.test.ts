import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { scanCloudTrail } from '../../../src/collect/cloudtrail/scan-cloudtrail.js';
import { eachTrailRecord, TrailRecordSplitter } from '../../../src/collect/cloudtrail/trail-records.js';
import { localTree } from '../../../src/collect/tree/local.js';
import type { TreeReader } from '../../../src/collect/tree/tree.js';
import { periodFor } from '../../../src/config/period.js';

// The fixture's records follow the S3 and KMS record examples of the CloudTrail and KMS guides
// (PutObject, UploadPart, GenerateDataKey, Decrypt, DisableKeyRotation, ScheduleKeyDeletion,
// DescribeKey, an EC2 call) and hold one record that is not an object.
const FIXTURE = path.resolve(
  __dirname,
  '../../fixtures/cloudtrail/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10/05/111122223333_CloudTrail_eu-west-1_20261005T0920Z_Qm9vZ2xlMTIzNDU2.json',
);
const records = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { Records: unknown[] }).Records;
const objects = records.filter((r) => typeof r === 'object');
/** A trail file as CloudTrail writes it: one line, no spaces. */
const compact = (rs: unknown[]) => JSON.stringify({ Records: rs });

function read(text: string): { ok: boolean; got: Array<[number, unknown]> } {
  const got: Array<[number, unknown]> = [];
  const ok = eachTrailRecord(text, (record, index) => got.push([index, record]));
  return { ok, got };
}

const decoy = (userAgent: string) => ({ ...(records[0] as object), userAgent });
/** A record whose request holds objects, the second opening with "eventVersion". */
const nested = { ...(records[0] as object), requestParameters: { items: [{ a: 1 }, { eventVersion: '1' }] } };

describe('eachTrailRecord', () => {
  it('gives the records of a file as CloudTrail writes it, each as JSON.parse of the whole file gives it', () => {
    const text = compact(objects);
    const { ok, got } = read(text);
    expect(ok).toBe(true);
    expect(got).toHaveLength(14);
    expect(got.map(([i]) => i)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(got.map(([, r]) => r)).toEqual((JSON.parse(text) as { Records: unknown[] }).Records);
    expect(read('{"Records":[]}')).toEqual({ ok: true, got: [] });
  });

  it('is not led astray by braces, brackets, quotes and escaped quotes inside strings', () => {
    const hostile = [
      decoy('a}],{"b":[{'),
      decoy('\\"}]}'),
      decoy('say \\"},{\\"eventVersion\\": and }{'),
      { eventVersion: '1.08', requestParameters: { policy: '{"Statement":[{"Effect":"Deny"}]}' } },
    ];
    const text = compact(hostile);
    const { ok, got } = read(text);
    expect(ok).toBe(true);
    expect(got.map(([, r]) => r)).toEqual(hostile);
  });

  it('declines a record holding the text between two records in a nested array (the file is then parsed whole)', () => {
    // Inside a string the text cannot occur: its quotes would be escaped.
    expect(read(compact([decoy('x},{"eventVersion":"y'), objects[1]])).ok).toBe(true);
    expect(read(compact([nested, objects[1]])).ok).toBe(false);
  });

  it('declines a truncated file, a record cut short and broken JSON, which a whole parse refuses too', () => {
    const text = compact(records);
    for (const cut of [text.length - 1, text.length - 2, Math.floor(text.length / 2), 13]) {
      expect(read(text.slice(0, cut)).ok).toBe(false);
      expect(() => JSON.parse(text.slice(0, cut)) as unknown).toThrow();
    }
    const broken = text.replace('"readOnly":false', '"readOnly":fals');
    expect(broken).not.toBe(text);
    expect(read(broken).ok).toBe(false);
    expect(() => JSON.parse(broken) as unknown).toThrow();
  });

  it('gives a record that is not an object as it is; one between records makes it decline', () => {
    expect(read('{"Records":[42]}')).toEqual({ ok: true, got: [[1, 42]] });
    expect(read('{"Records":[null]}')).toEqual({ ok: true, got: [[1, null]] });
    expect(read(`{"Records":[${JSON.stringify(records[0])},[1],${JSON.stringify(records[1])}]}`).ok).toBe(false);
  });

  it('declines other layouts: spaces, keys besides Records, a second Records, text after the end', () => {
    expect(read(JSON.stringify({ Records: records }, null, 1)).ok).toBe(false);
    const [a, b] = objects.map((r) => JSON.stringify(r));
    expect(read(`{"Records":[${a},${b}]}`).ok).toBe(true);
    expect(read(`{"Records":[${a}, ${b}]}`).ok).toBe(false);
    expect(read(`${compact(records.slice(0, 2)).slice(0, -1)},"Other":1}`).ok).toBe(false);
    expect(read(`${compact(records.slice(0, 2)).slice(0, -1)},"Records":[]}`).ok).toBe(false);
    expect(read(`${compact(records.slice(0, 2))}x`).ok).toBe(false);
    expect(read(`${compact(records.slice(0, 2))}\n`).ok).toBe(true);
  });
});

/** What TrailRecordSplitter gives for `text` written in the chunks its `cuts` make. */
function readInChunks(text: string, cuts: number[]): { ok: boolean; got: Array<[number, unknown]> } {
  const got: Array<[number, unknown]> = [];
  const splitter = new TrailRecordSplitter((record, index) => got.push([index, record]));
  let from = 0;
  let ok = true;
  for (const cut of [...cuts, text.length]) {
    ok = splitter.write(text.slice(from, cut)) && ok;
    from = cut;
  }
  return { ok: splitter.end() && ok, got };
}

describe('TrailRecordSplitter', () => {
  // Two short records (the fixture's are long: every cut of them is slow) around non-ASCII text: a
  // 2-byte é, a 3-byte € and a 4-byte 😀 (a surrogate pair, which a cut may split in two).
  const small = [
    { eventVersion: '1.10', eventSource: 's3.amazonaws.com', requestParameters: { key: 'résumé €😀.txt' } },
    { eventVersion: '1.11', eventSource: 'kms.amazonaws.com', userAgent: 'x},{"eventVersion":"y' },
    { eventVersion: '1.08', eventName: 'Décrypt', resources: [{ ARN: 'arn:aws:kms:eu-west-1:1:key/k' }] },
  ];

  it('gives the records of the whole text however the text is cut into chunks, one cut or two anywhere', () => {
    const text = compact(small);
    const whole = read(text);
    expect(whole.ok).toBe(true);
    expect(whole.got).toEqual(small.map((r, i) => [i + 1, r]));
    for (let a = 0; a <= text.length; a++) {
      expect(readInChunks(text, [a])).toEqual(whole);
      for (let b = a; b <= text.length; b += 7) expect(readInChunks(text, [a, b])).toEqual(whole);
    }
  });

  it('gives the fixture records cut into chunks of any size from 1 character to the whole file', () => {
    const text = compact(objects);
    const whole = read(text);
    for (const size of [1, 2, 17, 18, 19, 100, 1000, 4096]) {
      const cuts = Array.from({ length: Math.floor(text.length / size) }, (_, i) => (i + 1) * size);
      expect(readInChunks(text, cuts)).toEqual(whole);
    }
  });

  it('declines in chunks what it declines whole: other layouts, broken JSON, a cut file, a nested marker', () => {
    const text = compact(small);
    const declined = [
      JSON.stringify({ Records: small }, null, 1),
      text.replace('"eventName":"Décrypt"', '"eventName":Décrypt"'),
      text.slice(0, -1),
      text.slice(0, 12),
      `${text}x`,
      compact([nested, objects[1]]),
      '',
    ];
    for (const t of declined) {
      expect(read(t).ok).toBe(false);
      for (let a = 0; a <= t.length; a += 5) expect(readInChunks(t, [a]).ok).toBe(false);
    }
    // Once declined, a later chunk does not bring it back.
    const splitter = new TrailRecordSplitter(() => undefined);
    expect(splitter.write('{"Records":[x')).toBe(true);
    expect(splitter.write('},{"eventVersion":"1"}]}')).toBe(false);
    expect(splitter.write(text)).toBe(false);
    expect(splitter.end()).toBe(false);
  });

  it('takes spaces after the end, even in a chunk of their own', () => {
    const text = `${compact(small)}\n`;
    expect(readInChunks(text, [text.length - 1]).got).toHaveLength(3);
    expect(readInChunks(`${compact(small)} \r\n`, [text.length]).ok).toBe(true);
  });
});

describe('trail files read record by record', () => {
  const period = periodFor('2026-10', 'Europe/Berlin');
  const folder = 'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10/05';
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  async function scanFiles(files: string[]) {
    const root = await mkdtemp(path.join(os.tmpdir(), 'trail-records-'));
    dirs.push(root);
    await mkdir(path.join(root, folder), { recursive: true });
    for (const [i, text] of files.entries()) {
      const name = `111122223333_CloudTrail_eu-west-1_20261005T09${String(i).padStart(2, '0')}Z_${i}.json.gz`;
      await writeFile(path.join(root, folder, name), gzipSync(text));
    }
    const tree = localTree(root);
    // Every open of a file, in order: a file read record by record is opened once, one read whole twice.
    opened.length = 0;
    const counting: TreeReader = {
      description: tree.description,
      listChildren: (prefix) => tree.listChildren(prefix),
      list: (prefix) => tree.list(prefix),
      locate: (p) => tree.locate(p),
      open: (p) => {
        opened.push(p);
        return tree.open(p);
      },
    };
    return scanCloudTrail(counting, { period, workers: 'in-process' });
  }
  const opened: string[] = [];

  it('give the scan a whole parse gives, and a file that fails half way adds only what its whole parse adds', async () => {
    const pretty = JSON.stringify({ Records: records }, null, 2);
    const wholeParse = await scanFiles([pretty, pretty]);
    expect(opened).toHaveLength(4);
    expect(wholeParse.recordsRead).toBe(30);
    expect(wholeParse.kmsEvents).toBeGreaterThan(0);
    const oneByOne = await scanFiles([compact(records), compact(records)]);
    // The fixture's record that is not an object, between two, makes each file read whole after all.
    expect(opened).toHaveLength(4);
    expect(oneByOne).toEqual({ ...wholeParse, location: oneByOne.location });

    // Ten records read one by one, then one the file's layout does not fit: the file is parsed whole, once.
    const declined = compact([...records.slice(0, 10), nested, ...records.slice(10)]);
    const withDecoy = await scanFiles([declined]);
    const decoyWhole = await scanFiles([JSON.stringify(JSON.parse(declined), null, 1)]);
    expect(withDecoy).toEqual({ ...decoyWhole, location: withDecoy.location });
    expect(withDecoy.recordsRead).toBe(16);

    // Broken after ten good records: unreadable, with the whole parse's own message, nothing counted.
    const text = compact(records);
    const broken = text.replace('"eventName":"DescribeInstances"', '"eventName":DescribeInstances"');
    let message = '';
    try {
      JSON.parse(broken);
    } catch (e) {
      message = (e as Error).message;
    }
    const withBroken = await scanFiles([broken, text]);
    expect(withBroken.problems.map((p) => p.message)).toEqual([`not JSON: ${message}`]);
    expect(withBroken.filesRead).toBe(1);
    const unreadable = await scanFiles(['not json', text]);
    expect({ ...withBroken, problems: [] }).toEqual({ ...unreadable, location: withBroken.location, problems: [] });
  });

  it('read a file of many gunzipped chunks with multi-byte characters everywhere as a whole parse does', async () => {
    // 400 records of ~400 bytes: ~160 KB, three 64 KiB chunks or more, each chunk cut somewhere in
    // a run of 2-, 3- and 4-byte characters (every record's key is nothing else).
    const many = Array.from({ length: 400 }, (_, i) => ({
      ...(records[i % 2] as object),
      eventID: `e${i}`,
      requestParameters: { bucketName: 'acme-data', key: `${'é€😀'.repeat(40)}/${i}` },
    }));
    const text = compact(many);
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * 65536);
    const streamed = await scanFiles([text]);
    expect(opened).toHaveLength(1);
    const whole = await scanFiles([JSON.stringify({ Records: many }, null, 1)]);
    expect(opened).toHaveLength(2);
    expect(streamed).toEqual({ ...whole, location: streamed.location });
    expect(streamed.recordsRead).toBe(400);
    expect(streamed.s3DataEvents).toBeGreaterThan(0);
    expect(streamed.denied.map((d) => d.key)).toContain(`${'é€😀'.repeat(40)}/0`);
  });
});
