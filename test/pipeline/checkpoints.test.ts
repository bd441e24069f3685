import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { packedEntry, packSegments, TenantCheckpoints } from '../../src/pipeline/checkpoints.js';
import { TOOL } from '../../src/tool.js';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, readFileSync: vi.fn(real.readFileSync) };
});

let root: string;
const scope = { tenant: 'acme', period: '2026-10', configSha256: 'c'.repeat(64) };
const clock = new Date('2026-11-02T06:00:00Z');

function put(dir: string, rel: string, text: string) {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

/** The files a source's checkpoint holds: its record's list, cut out of its pack in order. */
function packedFiles(dir: string, source: string): Record<string, string> {
  const record = JSON.parse(readFileSync(path.join(dir, `${source}.json`), 'utf8')) as {
    files: Array<{ path: string; size: number }>;
  };
  const pack = readFileSync(path.join(dir, `${source}.pack`));
  const out: Record<string, string> = {};
  let at = 0;
  for (const f of record.files) out[f.path] = pack.subarray(at, (at += f.size)).toString('utf8');
  expect(at).toBe(pack.length);
  return out;
}

/** A staging folder collected in two steps, checkpointed after each. */
async function checkpointed(): Promise<TenantCheckpoints> {
  const staging = path.join(root, 'staging-1');
  const cp = TenantCheckpoints.at(path.join(root, 'out'), scope);
  put(staging, 'evidence/index.json', '{"buckets":[]}');
  put(staging, 'evidence/accounts/1/list-buckets.json', '{"outcome":"ok"}');
  await cp.save('accounts', staging, clock);
  put(staging, 'evidence/logs/cloudtrail.json', '{"files":3}');
  await cp.save('logs', staging, clock);
  put(staging, 'evidence/aws-config/summary.json', '{"rules":1}');
  await cp.save('awsConfig', staging, clock);
  return cp;
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 's3e-checkpoints-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('TenantCheckpoints', () => {
  it('keeps each source the files it added, with their sha256, outside the packet folder', async () => {
    await checkpointed();
    const dir = path.join(root, 'out', '2026-10', '.resume', 'acme');
    const logs = JSON.parse(readFileSync(path.join(dir, 'logs.json'), 'utf8')) as {
      runClock: string;
      files: Array<{ path: string; sha256: string; size: number }>;
    };
    const text = '{"files":3}';
    expect(logs.files).toEqual([
      {
        path: 'evidence/logs/cloudtrail.json',
        sha256: createHash('sha256').update(text).digest('hex'),
        size: text.length,
      },
    ]);
    expect(logs.runClock).toBe('2026-11-02T06:00:00.000Z');
    expect(packedFiles(dir, 'accounts')).toEqual({
      'evidence/accounts/1/list-buckets.json': '{"outcome":"ok"}',
      'evidence/index.json': '{"buckets":[]}',
    });
    expect(packedFiles(dir, 'logs')).toEqual({ 'evidence/logs/cloudtrail.json': '{"files":3}' });
    // One record and one pack per source: no copy of each file.
    expect(readdirSync(dir).sort()).toEqual([
      'accounts.json',
      'accounts.pack',
      'awsConfig.json',
      'awsConfig.pack',
      'logs.json',
      'logs.pack',
    ]);
  });

  it('reads each file it packs once, and only the files new since the last checkpoint', async () => {
    const staging = path.join(root, 'staging-1');
    const cp = TenantCheckpoints.at(path.join(root, 'out'), scope);
    for (let i = 0; i < 40; i++) put(staging, `evidence/accounts/1/s3/b${i}/get-bucket-encryption.json`, `{"i":${i}}`);
    const readsUnder = (dir: string) =>
      vi.mocked(fs.readFileSync).mock.calls.filter(([f]) => String(f).startsWith(dir + path.sep)).length;
    vi.mocked(fs.readFileSync).mockClear();
    await cp.save('accounts', staging, clock);
    expect(readsUnder(staging)).toBe(40);
    put(staging, 'evidence/logs/cloudtrail.json', '{"files":3}');
    vi.mocked(fs.readFileSync).mockClear();
    await cp.save('logs', staging, clock);
    expect(readsUnder(staging)).toBe(1);
  });

  it('writes a record of many files as the one JSON text of its value, and restores them all', async () => {
    const staging = path.join(root, 'staging-1');
    const cp = TenantCheckpoints.at(path.join(root, 'out'), scope);
    const texts: Record<string, string> = {};
    // More files than are packed at once (256), of different lengths: three batches, the last one short.
    for (let i = 0; i < 600; i++) {
      const rel = `evidence/accounts/1/s3/b${String(i).padStart(3, '0')}/get-bucket-encryption.json`;
      texts[rel] = `{"i":${i},"name":"b\u00e9${i}","pad":"${'x'.repeat(i % 37)}"}`;
      put(staging, rel, texts[rel]);
    }
    await cp.save('accounts', staging, clock);
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    const expected = {
      checkpointVersion: 2,
      tool: `${TOOL.name}@${TOOL.version}`,
      tenant: 'acme',
      period: '2026-10',
      configSha256: 'c'.repeat(64),
      source: 'accounts',
      runClock: '2026-11-02T06:00:00.000Z',
      files: Object.keys(texts)
        .sort()
        .map((p) => ({ path: p, sha256: sha(texts[p]!), size: Buffer.byteLength(texts[p]!) })),
    };
    expect(readFileSync(path.join(cp.dir, 'accounts.json'), 'utf8')).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    expect(packedFiles(cp.dir, 'accounts')).toEqual(texts);
    const resumed = TenantCheckpoints.at(path.join(root, 'out'), scope);
    expect((await resumed.restore(path.join(root, 'staging-2'))).sources).toEqual(['accounts']);
    expect(filesOf(path.join(root, 'staging-2'))).toEqual(texts);
  });

  it('packs a known entry itself when the bytes read match it, and a new entry when they do not', () => {
    const bytes = Buffer.from('{"outcome":"ok"}');
    const known = {
      path: 'evidence/a.json',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
    };
    expect(packedEntry(known, bytes)).toBe(known);
    const changed = Buffer.from('{"outcome":"no"}');
    const entry = packedEntry(known, changed);
    expect(entry).not.toBe(known);
    expect(entry).toEqual({
      path: 'evidence/a.json',
      sha256: createHash('sha256').update(changed).digest('hex'),
      size: 16,
    });
    expect(packedEntry({ ...known, size: 15 }, bytes)).toEqual(known);
  });

  it('restores every source into a new staging folder, as collected', async () => {
    const cp = await checkpointed();
    const staging = path.join(root, 'staging-2');
    const restored = await cp.restore(staging);
    expect(restored).toEqual({
      sources: ['accounts', 'logs', 'awsConfig'],
      runClock: '2026-11-02T06:00:00.000Z',
      notices: [],
    });
    expect(filesOf(staging)).toEqual(filesOf(path.join(root, 'staging-1')));
  });

  it('drops a checkpoint whose file was changed, and the ones after it, with a notice', async () => {
    const cp = await checkpointed();
    const dir = path.join(root, 'out', '2026-10', '.resume', 'acme');
    // The same length, other bytes: only the hash can tell.
    writeFileSync(path.join(dir, 'logs.pack'), '{"files":0}');
    const staging = path.join(root, 'staging-2');
    const restored = await cp.restore(staging);
    expect(restored.sources).toEqual(['accounts']);
    expect(restored.notices).toEqual([
      'acme: the checkpoint of logs is not used (evidence/logs/cloudtrail.json does not match its recorded sha256); logs and what follows are collected again',
    ]);
    expect(Object.keys(filesOf(staging)).sort()).toEqual([
      'evidence/accounts/1/list-buckets.json',
      'evidence/index.json',
    ]);
    expect(existsSync(path.join(dir, 'logs.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'awsConfig.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'accounts.json'))).toBe(true);
  });

  it('packs small files in batches of at most 256 files and 8 MiB, and a larger file alone', () => {
    const MiB = 1024 * 1024;
    const sizes = [...Array<number>(300).fill(10), 3 * MiB, 3 * MiB, 3 * MiB, 8 * MiB + 1, 5];
    const files = sizes.map((size, i) => ({ path: `f${i}`, size }));
    const shape = packSegments(files).map((s) => ('large' in s ? `large ${s.large.path}` : s.batch.length));
    // 256 small files close the first batch; the third 3 MiB file would pass 8 MiB; 8 MiB + 1 goes alone.
    expect(shape).toEqual([256, 46, 1, 'large f303', 1]);
    expect(packSegments([])).toEqual([]);
  });

  it('moves a file larger than a batch through the pack in pieces, unread whole, and checks it', async () => {
    const staging = path.join(root, 'staging-1');
    const cp = TenantCheckpoints.at(path.join(root, 'out'), scope);
    // 9 MiB and 3 bytes: past the 8 MiB batch, and not a whole number of 1 MiB pieces.
    const large = Buffer.alloc(9 * 1024 * 1024 + 3);
    for (let i = 0; i < large.length; i++) large[i] = (i * 7 + (i >> 12)) & 0xff;
    put(staging, 'evidence/a.json', '{"a":1}');
    mkdirSync(path.join(staging, 'evidence/inventory'), { recursive: true });
    writeFileSync(path.join(staging, 'evidence/inventory/unencrypted.csv'), large);
    put(staging, 'evidence/z.json', '{"z":2}');
    vi.mocked(fs.readFileSync).mockClear();
    await cp.save('accounts', staging, clock);
    const readWhole = vi.mocked(fs.readFileSync).mock.calls.map(([f]) => path.relative(staging, String(f)));
    expect(readWhole.sort()).toEqual([path.join('evidence', 'a.json'), path.join('evidence', 'z.json')]);
    const dir = path.join(root, 'out', '2026-10', '.resume', 'acme');
    const record = JSON.parse(readFileSync(path.join(dir, 'accounts.json'), 'utf8')) as {
      files: Array<{ path: string; sha256: string; size: number }>;
    };
    expect(record.files.find((f) => f.path === 'evidence/inventory/unencrypted.csv')).toEqual({
      path: 'evidence/inventory/unencrypted.csv',
      sha256: createHash('sha256').update(large).digest('hex'),
      size: large.length,
    });

    const restored = await cp.restore(path.join(root, 'staging-2'));
    expect(restored.sources).toEqual(['accounts']);
    expect(readFileSync(path.join(root, 'staging-2', 'evidence/inventory/unencrypted.csv')).equals(large)).toBe(true);
    expect(filesOf(path.join(root, 'staging-2'))).toEqual(filesOf(staging));

    // One byte changed in the large file's last piece: the checkpoint is not used, and nothing is written.
    const pack = readFileSync(path.join(dir, 'accounts.pack'));
    const at = '{"a":1}'.length + large.length - 2;
    pack[at] = pack[at]! ^ 1;
    writeFileSync(path.join(dir, 'accounts.pack'), pack);
    const again = await cp.restore(path.join(root, 'staging-3'));
    expect(again.sources).toEqual([]);
    expect(again.notices).toEqual([
      'acme: the checkpoint of accounts is not used (evidence/inventory/unencrypted.csv does not match its recorded sha256); accounts and what follows are collected again',
    ]);
    expect(existsSync(path.join(root, 'staging-3', 'evidence'))).toBe(false);
  });

  it('drops a checkpoint whose pack is cut short, and writes none of its files', async () => {
    const cp = await checkpointed();
    const dir = path.join(root, 'out', '2026-10', '.resume', 'acme');
    const pack = readFileSync(path.join(dir, 'accounts.pack'));
    writeFileSync(path.join(dir, 'accounts.pack'), pack.subarray(0, pack.length - 1));
    const staging = path.join(root, 'staging-2');
    mkdirSync(staging);
    const restored = await cp.restore(staging);
    expect(restored.sources).toEqual([]);
    expect(restored.notices[0]).toBe(
      'acme: the checkpoint of accounts is not used (accounts.pack does not hold the files listed); accounts and what follows are collected again',
    );
    expect(filesOf(staging)).toEqual({});
  });

  it('drops a checkpoint whose second file is changed without writing its first', async () => {
    const cp = await checkpointed();
    const dir = path.join(root, 'out', '2026-10', '.resume', 'acme');
    const pack = readFileSync(path.join(dir, 'accounts.pack'), 'utf8');
    // accounts holds list-buckets.json then index.json: the change is in the second.
    writeFileSync(path.join(dir, 'accounts.pack'), pack.replace('"buckets"', '"BUCKETS"'));
    const staging = path.join(root, 'staging-2');
    mkdirSync(staging);
    const restored = await cp.restore(staging);
    expect(restored.notices[0]).toContain('(evidence/index.json does not match its recorded sha256)');
    expect(filesOf(staging)).toEqual({});
  });

  it('uses no checkpoint of another configuration', async () => {
    await checkpointed();
    const other = TenantCheckpoints.at(path.join(root, 'out'), { ...scope, configSha256: 'd'.repeat(64) });
    const restored = await other.restore(path.join(root, 'staging-2'));
    expect(restored.sources).toEqual([]);
    expect(restored.notices[0]).toBe(
      'acme: the checkpoint of accounts is not used (made for another configuration, period or tool version); accounts and what follows are collected again',
    );
  });

  it('refuses a record that names a path outside the staging folder, and writes nothing there', async () => {
    const cp = await checkpointed();
    const dir = path.join(root, 'out', '2026-10', '.resume', 'acme');
    const record = JSON.parse(readFileSync(path.join(dir, 'accounts.json'), 'utf8')) as {
      files: Array<{ path: string }>;
    };
    record.files[0]!.path = '../../escaped.json';
    writeFileSync(path.join(dir, 'accounts.json'), JSON.stringify(record));
    const restored = await cp.restore(path.join(root, 'staging-2'));
    expect(restored.sources).toEqual([]);
    expect(restored.notices[0]).toContain('(a file entry is malformed)');
    expect(existsSync(path.join(root, 'escaped.json'))).toBe(false);
  });

  it('holds the files of each checkpoint until the last source is in one, then none', async () => {
    const staging = path.join(root, 'staging-1');
    const cp = TenantCheckpoints.at(path.join(root, 'out'), scope);
    put(staging, 'evidence/index.json', '{"buckets":[]}');
    put(staging, 'evidence/accounts/1/list-buckets.json', '{"outcome":"ok"}');
    await cp.save('accounts', staging, clock);
    expect(cp.filesHeld()).toBe(2);
    put(staging, 'evidence/logs/cloudtrail.json', '{"files":3}');
    await cp.save('logs', staging, clock);
    expect(cp.filesHeld()).toBe(3);
    put(staging, 'evidence/aws-config/summary.json', '{"rules":1}');
    await cp.save('awsConfig', staging, clock);
    expect(cp.filesHeld()).toBe(0);
    // What the last checkpoint holds is still only what its source added.
    expect(packedFiles(cp.dir, 'awsConfig')).toEqual({ 'evidence/aws-config/summary.json': '{"rules":1}' });

    const resumed = TenantCheckpoints.at(path.join(root, 'out'), scope);
    const restored = await resumed.restore(path.join(root, 'staging-2'));
    expect(restored.sources).toEqual(['accounts', 'logs', 'awsConfig']);
    expect(resumed.filesHeld()).toBe(0);
    expect(Object.keys(filesOf(path.join(root, 'staging-2'))).length).toBe(4);
  });

  it('keeps the files restored when a later source is to be collected again', async () => {
    await checkpointed();
    const dir = path.join(root, 'out', '2026-10', '.resume', 'acme');
    rmSync(path.join(dir, 'awsConfig.json'));
    const resumed = TenantCheckpoints.at(path.join(root, 'out'), scope);
    const restored = await resumed.restore(path.join(root, 'staging-2'));
    expect(restored.sources).toEqual(['accounts', 'logs']);
    expect(resumed.filesHeld()).toBe(3);
  });

  it('names a finished packet only for its own scope, and clears everything', async () => {
    const cp = await checkpointed();
    await cp.markFinished(createHash('sha256').update('{"manifest":1}').digest('hex'));
    expect(await cp.finishedManifest()).toBe(createHash('sha256').update('{"manifest":1}').digest('hex'));
    const other = TenantCheckpoints.at(path.join(root, 'out'), { ...scope, period: '2026-10', tenant: 'globex' });
    expect(await other.finishedManifest()).toBeUndefined();
    await cp.clear();
    expect(existsSync(path.join(root, 'out', '2026-10', '.resume'))).toBe(false);
  });
});
