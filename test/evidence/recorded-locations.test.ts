import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locationRecorder, recordAsIs, recordedJson, recordValue } from '../../src/evidence/recorded-locations.js';

describe('locationRecorder', () => {
  const record = locationRecorder('/home/ops/evidence/config', [
    '/home/ops/evidence/output/export',
    '/home/ops/evidence/config/exceptions',
    '/home/ops/evidence/output/export/inventory/acme',
  ]);

  it('rewrites a configured root, and paths under it, relative to the config folder', () => {
    expect(record('/home/ops/evidence/output/export')).toBe('../output/export');
    expect(record('looked in /home/ops/evidence/output/export/inventory/acme/b1)')).toBe(
      'looked in ../output/export/inventory/acme/b1)',
    );
    expect(record('no register (/home/ops/evidence/config/exceptions/acme.yaml): none')).toBe(
      'no register (exceptions/acme.yaml): none',
    );
  });

  it('only whole path segments: a sibling with the same prefix is left alone', () => {
    expect(record('/home/ops/evidence/output/export-old/x')).toBe('/home/ops/evidence/output/export-old/x');
  });

  it('leaves s3:// URLs and unrelated text as they are', () => {
    expect(record('s3://acme-inventory/acme/')).toBe('s3://acme-inventory/acme/');
    expect(record('arn:aws:kms:eu-west-1:1:key/abc')).toBe('arn:aws:kms:eu-west-1:1:key/abc');
  });

  it('applies to every string of a JSON value, keys included', () => {
    expect(
      recordValue(
        { sourcePath: '/home/ops/evidence/output/export/a.json', list: ['/home/ops/evidence/output/export'], n: 3 },
        record,
      ),
    ).toEqual({
      sourcePath: '../output/export/a.json',
      list: ['../output/export'],
      n: 3,
    });
    const same = { a: path.sep };
    expect(recordValue(same, recordAsIs)).toBe(same);
  });

  it('gives the same JSON text as recording every string first, whether or not a root occurs, escaped or not', () => {
    const toText = (v: unknown) => JSON.stringify(v, null, 2);
    const values: unknown[] = [
      { operation: 's3:GetBucketPolicy', response: { Policy: '{"Statement":[{"Effect":"Deny"}]}' } },
      { file: '/home/ops/evidence/output/export/a.json', n: 1 },
      { quoted: 'see "/home/ops/evidence/output/export"\n', key: { '/home/ops/evidence/output/export': true } },
      { line: 'tab\t/home/ops/evidence/output/export/x' },
      ['/home/ops/evidence/output/exported-not-a-root', null, 2],
      {
        location: '/home/ops/evidence/output/export/inventory/acme',
        '/home/ops/evidence/config/exceptions': ['/home/ops/evidence/config/exceptions/acme.yaml', 7],
        problems: [{ file: 'logs/2026-10-01', message: 'read /home/ops/evidence/output/export: EACCES' }],
      },
    ];
    for (const v of values) {
      expect(recordedJson(v, record, toText)).toBe(toText(recordValue(v, record)));
      expect(recordedJson(v, recordAsIs, toText)).toBe(toText(v));
    }
    expect(recordedJson(values[1], record, toText)).toContain('"../output/export/a.json"');
    expect(JSON.parse(recordedJson(values[5], record, toText))).toEqual({
      location: '../output/export/inventory/acme',
      exceptions: ['exceptions/acme.yaml', 7],
      problems: [{ file: 'logs/2026-10-01', message: 'read ../output/export: EACCES' }],
    });
  });

  it('makes the text once when no string needs escaping, even when roots occur in it', () => {
    let made = 0;
    const toText = (v: unknown) => {
      made++;
      return JSON.stringify(v, null, 2);
    };
    const scan = { location: '/home/ops/evidence/output/export', denied: [{ key: 'a/b.parquet', file: 'logs/x' }] };
    expect(recordedJson(scan, record, toText)).toBe(
      '{\n  "location": "../output/export",\n  "denied": [\n    {\n      "key": "a/b.parquet",\n      "file": "logs/x"\n    }\n  ]\n}',
    );
    expect(made).toBe(1);
    // An escaped character anywhere: the strings are recorded one by one, on a copy.
    made = 0;
    expect(JSON.parse(recordedJson({ ...scan, note: 'a "quoted" word' }, record, toText)).location).toBe(
      '../output/export',
    );
    expect(made).toBe(2);
  });
});
