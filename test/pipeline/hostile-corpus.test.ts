import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { Packet } from '../../src/model/packet.js';
import { cli, captured } from '../support/cli.js';
import { demoWorkspace } from '../support/demo-workspace.js';
import { makeDeviceOrSocket, makeFifo } from '../support/special-files.js';

/**
 * The hostile-input corpus (test/fixtures/hostile/cases.json, described in its README): each case
 * damages one file of the demo's offline export; cases of different units share one `run` of every
 * demo tenant. No case may crash the run, leave a PASS citing the damaged file, or go unnamed; the
 * undamaged tenant (globex) must come out exactly as in a clean run.
 */

interface Damage {
  json?: unknown;
  text?: string;
  hex?: string;
  truncate?: number;
  remove?: boolean;
  huge?: number;
  invalidUtf8?: boolean;
  errorText?: string;
  manifest?: Record<string, unknown>;
  removeChecksum?: boolean;
  foreignRow?: string;
  gzip?: string;
  /** Replace the file by a symbolic link to this path ("outside": to a copy of it outside the export). */
  symlink?: string;
  fifo?: boolean;
  /** A character device (root, as CI runs) or else a Unix socket. */
  device?: boolean;
  /** A sparse file of this many bytes (over the size limit without using the disk). */
  sparse?: number;
  /** Set the bucket encryption's KMSMasterKeyID. */
  keyId?: string;
  /** Rename report folders of the inventory configuration folder `target` (folder name → new folder name). */
  redate?: Record<string, string>;
}

interface HostileCase {
  id: string;
  tenant: string;
  unit: string;
  target: string;
  damage: Damage;
  evidence: string;
  names: string;
  expect?: 'undetermined' | 'inventory';
}

const CASES = (
  JSON.parse(readFileSync(path.resolve('test/fixtures/hostile/cases.json'), 'utf8')) as { cases: HostileCase[] }
).cases;
const PERIOD = '2026-10';
const KEYS = {
  northwind: [
    'arn:aws:kms:us-east-2:111111111111:key/0b6c5e1a-7d3f-4c2e-9a41-5f8e2d7c1b90',
    'arn:aws:kms:us-west-2:111111111111:key/3e9d2a47-1c85-4b6f-a0d3-8f27c6e5b412',
  ],
  acme: ['arn:aws:kms:eu-west-1:222222222222:key/7f4a1b2c-3d5e-4f60-8a9b-0c1d2e3f4a5b'],
};
const WITNESS = 'globex';

/**
 * Cases grouped into runs: within a run, no two cases of a tenant touch the same unit, and a case on
 * a whole account (list-buckets) runs alone for its tenant.
 */
function rounds(cases: HostileCase[]): HostileCase[][] {
  const out: Array<{ units: Set<string>; cases: HostileCase[] }> = [];
  const wholeAccount = (c: HostileCase) => c.unit.startsWith('account ');
  for (const c of cases) {
    const key = `${c.tenant}|${c.unit}`;
    const fits = (r: { units: Set<string>; cases: HostileCase[] }) =>
      !r.units.has(key) && !r.cases.some((o) => o.tenant === c.tenant && (wholeAccount(o) || wholeAccount(c)));
    let round = out.find(fits);
    if (!round) out.push((round = { units: new Set(), cases: [] }));
    round.units.add(key);
    round.cases.push(c);
  }
  return out.map((r) => r.cases);
}

/** `a/*\/b`: `*` is the one entry of its folder (a key id). */
function resolve(root: string, pattern: string): string {
  let at = root;
  for (const part of pattern.split('/')) {
    if (part === '*') {
      const entries = readdirSync(at).filter((e) => !e.endsWith('.json'));
      if (entries.length !== 1) throw new Error(`${at}: expected one folder for *, found ${entries.join(', ')}`);
      at = path.join(at, entries[0]!);
    } else at = path.join(at, part);
  }
  return at;
}

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

function writeManifest(file: string, manifest: unknown): void {
  const text = JSON.stringify(manifest);
  writeFileSync(file, text);
  writeFileSync(path.join(path.dirname(file), 'manifest.checksum'), `${md5(text)}\n`);
}

async function apply(exportsDir: string, c: HostileCase): Promise<void> {
  const file = resolve(exportsDir, c.target);
  const d = c.damage;
  if (d.symlink !== undefined) {
    let to = d.symlink;
    if (to === 'outside') {
      to = path.join(path.dirname(exportsDir), `outside-${c.id.replace(/[^a-z0-9]+/gi, '-')}`);
      cpSync(file, to);
    }
    unlinkSync(file);
    symlinkSync(to, file);
  } else if (d.fifo) {
    unlinkSync(file);
    makeFifo(file);
  } else if (d.device) {
    unlinkSync(file);
    await makeDeviceOrSocket(file);
  } else if (d.sparse !== undefined) {
    writeFileSync(file, '');
    truncateSync(file, d.sparse);
  } else if (d.redate !== undefined) {
    for (const [from, to] of Object.entries(d.redate)) renameSync(path.join(file, from), path.join(file, to));
  } else if (d.keyId !== undefined) {
    const enc = JSON.parse(readFileSync(file, 'utf8')) as {
      ServerSideEncryptionConfiguration: {
        Rules: Array<{ ApplyServerSideEncryptionByDefault: Record<string, string> }>;
      };
    };
    enc.ServerSideEncryptionConfiguration.Rules[0]!.ApplyServerSideEncryptionByDefault.KMSMasterKeyID = d.keyId;
    writeFileSync(file, JSON.stringify(enc));
  } else if (d.json !== undefined) writeFileSync(file, JSON.stringify(d.json));
  else if (d.text !== undefined) writeFileSync(file, d.text);
  else if (d.hex !== undefined) writeFileSync(file, Buffer.from(d.hex, 'hex'));
  else if (d.truncate !== undefined) truncateSync(file, Math.floor(statSync(file).size * d.truncate));
  else if (d.remove) unlinkSync(file);
  else if (d.huge !== undefined)
    writeFileSync(file, `{"TagSet": [${'{"Key": "k", "Value": "v"}, '.repeat(Math.ceil(d.huge / 26))}`);
  else if (d.invalidUtf8)
    writeFileSync(file, Buffer.concat([Buffer.from([0xc3, 0x28, 0xff, 0xfe]), readFileSync(file)]));
  else if (d.errorText !== undefined) {
    unlinkSync(file);
    writeFileSync(file.replace(/\.json$/, '.error.txt'), d.errorText);
  } else if (d.manifest !== undefined)
    writeManifest(file, { ...JSON.parse(readFileSync(file, 'utf8')), ...d.manifest });
  else if (d.removeChecksum) unlinkSync(file);
  else if (d.foreignRow !== undefined) {
    // Rewrite the first data file with its first row naming another bucket; keep MD5s consistent.
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
      sourceBucket: string;
      files: Array<{ key: string; size: number; MD5checksum: string }>;
    };
    const first = manifest.files[0]!;
    const dataFile = path.join(path.dirname(path.dirname(file)), 'data', path.basename(first.key));
    const rows = gunzipSync(readFileSync(dataFile)).toString('utf8');
    const changed = gzipSync(Buffer.from(rows.replace(`"${manifest.sourceBucket}"`, `"${d.foreignRow}"`), 'utf8'));
    writeFileSync(dataFile, changed);
    manifest.files[0] = { ...first, size: changed.length, MD5checksum: md5(changed) };
    writeManifest(file, manifest);
  } else if (d.gzip !== undefined) writeFileSync(file, gzipSync(Buffer.from(d.gzip, 'utf8')));
  else throw new Error(`${c.id}: no damage given`);
}

interface Row {
  id: string;
  exit: number;
  verdict: string;
  message: string;
  crashed: boolean;
  falseGreens: string[];
  named: boolean;
  problems: string[];
}

let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let pristine: string;
let configFile: string;
let clean: Packet;
const rows = new Map<string, Row>();

function readPacket(out: string, tenant: string): Packet | undefined {
  const file = path.join(out, PERIOD, tenant, 'packet.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Packet) : undefined;
}

async function runAll(out: string): Promise<number> {
  return cli('run', '--config', configFile, '--period', PERIOD, '--out', out, '--json');
}

function judge(c: HostileCase, exit: number, packet: Packet | undefined, root: string): Row {
  const problems: string[] = [];
  if (!packet)
    return {
      id: c.id,
      exit,
      verdict: 'no packet',
      message: captured.err.split('\n')[0] ?? '',
      crashed: true,
      falseGreens: [],
      named: false,
      problems: ['no packet'],
    };
  const packetDir = path.join(root, PERIOD, c.tenant);
  const evidence = c.evidence.includes('*')
    ? path.relative(packetDir, resolve(packetDir, c.evidence)).split(path.sep).join('/')
    : c.evidence;
  const falseGreens = packet.controls.flatMap((ctl) =>
    ctl.resources
      .filter((r) => r.verdict === 'pass' && r.evidence.includes(evidence))
      .map((r) => `${ctl.id} ${r.resource}`),
  );
  const hit = packet.completeness.missing.find((m) => `${m.scope} ${m.source} ${m.reason}`.includes(c.names));
  if (packet.completeness.complete) problems.push('packet complete');
  if (packet.status === 'compliant') problems.push('status compliant');
  if (!hit) problems.push(`no missing-evidence item names "${c.names}"`);
  if (c.expect === 'undetermined') {
    const bucket = c.unit.replace(/^bucket /, '');
    if (!packet.scopeUndetermined.some((b) => b.name === bucket)) problems.push('bucket not scope-undetermined');
    if (packet.buckets.some((b) => b.name === bucket) || packet.excludedBuckets.some((b) => b.name === bucket))
      problems.push('bucket judged or excluded');
  }
  if (c.expect === 'inventory') {
    const bucket = packet.buckets.find((b) => b.name === c.unit.replace(/^bucket /, ''));
    if (bucket?.coverage.state === 'measured') problems.push('coverage measured');
  }
  const verdict =
    packet.status === 'incomplete' || !packet.completeness.complete
      ? `${packet.status === 'incomplete' ? '' : `${packet.status}, `}incomplete`
      : packet.status;
  return {
    id: c.id,
    exit,
    verdict,
    message: hit ? `${hit.scope}: ${hit.reason}` : '',
    crashed: exit !== 0 && exit !== 3,
    falseGreens,
    named: Boolean(hit),
    problems,
  };
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

beforeAll(async () => {
  ws = await demoWorkspace();
  configFile = path.join(ws.root, 'config', 'demo.yaml');
  // The tenants name their keys, so a key's evidence is read even when a case breaks the bucket that uses it.
  const config = parseDocument(readFileSync(configFile, 'utf8'));
  for (const [i, keys] of [KEYS.northwind, KEYS.acme].entries()) config.setIn(['tenants', i, 'kmsKeys'], keys);
  writeFileSync(configFile, config.toString());
  pristine = mkdtempSync(path.join(os.tmpdir(), 's3e-hostile-'));
  cpSync(ws.exportsDir, pristine, { recursive: true });
  const out = path.join(ws.root, 'clean');
  await runAll(out);
  clean = readPacket(out, WITNESS)!;
  let n = 0;
  for (const round of rounds(CASES)) {
    rmSync(ws.exportsDir, { recursive: true, force: true });
    cpSync(pristine, ws.exportsDir, { recursive: true });
    for (const c of round) await apply(ws.exportsDir, c);
    const roundOut = path.join(ws.root, `round-${++n}`);
    const exit = await runAll(roundOut);
    const witness = readPacket(roundOut, WITNESS);
    for (const c of round) {
      const row = judge(c, exit, readPacket(roundOut, c.tenant), roundOut);
      if (
        JSON.stringify(witness?.completeness) !== JSON.stringify(clean.completeness) ||
        witness?.status !== clean.status
      )
        row.problems.push(`${WITNESS} differs from a clean run`);
      rows.set(c.id, row);
    }
    rmSync(roundOut, { recursive: true, force: true });
  }
  const table = [...rows.values()].map(
    (r) =>
      `${clip(r.id, 38).padEnd(38)} ${String(r.exit).padStart(4)}  ${clip(r.verdict, 24).padEnd(24)} ${clip(r.message, 150)}`,
  );
  const crashes = [...rows.values()].filter((r) => r.crashed).length;
  const greens = [...rows.values()].reduce((n, r) => n + r.falseGreens.length, 0);
  console.log(
    [
      `hostile corpus: ${rows.size} cases in ${n} runs; crashes ${crashes}, false greens ${greens}`,
      `${'case'.padEnd(38)} exit  ${'verdict'.padEnd(24)} message`,
      ...table,
    ].join('\n'),
  );
}, 300_000);

afterAll(() => {
  rmSync(ws.root, { recursive: true, force: true });
  rmSync(pristine, { recursive: true, force: true });
});

describe('hostile-input corpus through `run`', () => {
  it('the witness tenant is as it is in a clean run', () => {
    expect(clean.status).toBe('incomplete');
  });

  it.each(CASES.map((c) => [c.id, c] as const))('%s: no crash, no PASS from the file, incomplete, named', (id) => {
    const row = rows.get(id)!;
    expect(row.crashed, `exit ${row.exit}`).toBe(false);
    expect(row.exit).toBe(3);
    expect(row.falseGreens, row.falseGreens.join('; ')).toEqual([]);
    expect(row.problems, row.problems.join('; ')).toEqual([]);
    expect(row.named).toBe(true);
  });
});
