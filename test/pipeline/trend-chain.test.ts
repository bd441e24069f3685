/**
 * A monthly run verifies the month before it, not every earlier month again: the older months are
 * taken from that month's verified packet, each point with the sha256 of the manifest.json it was
 * verified against, for as long as that month's manifest.json is still the one. A month re-run or
 * edited since, and every month behind a packet that does not verify, is verified on its own.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { periodFor } from '../../src/config/period.js';
import type { Packet } from '../../src/model/packet.js';
import type { TrendPoint } from '../../src/model/governance-sections.js';
import type { ProgressEvent } from '../../src/pipeline/progress.js';
import { runTenant } from '../../src/pipeline/run-tenant.js';
import { verifiedManifest } from '../../src/pipeline/verify-folder.js';
import { demoWorkspace } from '../support/demo-workspace.js';
import { forgeSignature, recomputeHashes } from '../support/forged-manifest.js';

vi.mock('../../src/pipeline/verify-folder.js', async (original) => {
  const real = await original<typeof import('../../src/pipeline/verify-folder.js')>();
  return { ...real, verifiedManifest: vi.fn(real.verifiedManifest) };
});
const verifyCalls = vi.mocked(verifiedManifest);

let ws: Awaited<ReturnType<typeof demoWorkspace>>;

const folderOf = (month: string) => path.join(ws.out, month, 'acme');
const manifestSha = (month: string) =>
  createHash('sha256')
    .update(readFileSync(path.join(folderOf(month), 'manifest.json')))
    .digest('hex');
const packetOf = (month: string) =>
  JSON.parse(readFileSync(path.join(folderOf(month), 'packet.json'), 'utf8')) as Packet;
const verifiedMonths = () => verifyCalls.mock.calls.map(([folder]) => path.basename(path.dirname(folder)));

async function run(
  period: string,
  configSha256 = 'f'.repeat(64),
  onProgress?: (e: ProgressEvent) => void,
): Promise<Packet> {
  const tenant = ws.config.tenants.find((t) => t.id === 'acme')!;
  await runTenant({
    config: ws.config,
    configSha256,
    tenant,
    period: periodFor(period, tenant.timeZone),
    outDir: ws.out,
    now: new Date('2030-01-01T00:00:00Z'),
    ...(onProgress ? { onProgress } : {}),
  });
  return packetOf(period);
}

function trendOf(packet: Packet): TrendPoint[] {
  if (packet.sections.trend.state !== 'collected') throw new Error('trend not collected');
  return packet.sections.trend.points;
}

const pointOf = (packet: Packet, month: string) => trendOf(packet).find((p) => p.period === month)!;

beforeAll(async () => {
  ws = await demoWorkspace();
  for (const month of ['2026-07', '2026-08', '2026-09']) await run(month);
}, 180_000);
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));
beforeEach(() => {
  verifyCalls.mockClear();
});

describe('the trend takes older months from the verified month before', () => {
  it('is read before anything is collected: the month before is verified and let go before the collection holds its own', async () => {
    const actual = await vi.importActual<typeof import('../../src/pipeline/verify-folder.js')>(
      '../../src/pipeline/verify-folder.js',
    );
    const order: string[] = [];
    verifyCalls.mockImplementationOnce(async (folder, opts) => {
      order.push(`verify ${path.basename(path.dirname(folder))} start`);
      const checked = await actual.verifiedManifest(folder, opts);
      order.push(`verify ${path.basename(path.dirname(folder))} end`);
      return checked;
    });
    const october = await run('2026-10', undefined, (e) => {
      if (e.state !== 'update') order.push(`${e.phase} ${e.state}`);
    });
    expect(order.slice(0, 4)).toEqual([
      'governance start',
      'verify 2026-09 start',
      'verify 2026-09 end',
      'governance end',
    ]);
    // Then the collection (buckets and keys are read side by side; either may report first).
    expect(order[4]).toMatch(/^(buckets|keys) start$/);
    // Read first, written with the rest: the packet's trend has September, verified.
    expect(pointOf(october, '2026-09')).toMatchObject({ state: 'present', manifestSha256: manifestSha('2026-09') });
  }, 120_000);

  it('October verifies September only; July and August come from September, with their manifests', async () => {
    const july = packetOf('2026-07');
    const october = await run('2026-10');
    expect(verifiedMonths()).toEqual(['2026-09']);
    expect(verifyCalls.mock.calls[0]).toEqual([folderOf('2026-09'), { rerender: false }]);
    expect(pointOf(october, '2026-07')).toMatchObject({
      state: 'present',
      objectsPct: july.kpis.objectsPct,
      failingControls: july.controls.filter((c) => c.verdict === 'fail').length,
      manifestSha256: manifestSha('2026-07'),
    });
    expect(pointOf(october, '2026-08')).toMatchObject({ state: 'present', manifestSha256: manifestSha('2026-08') });
    expect(pointOf(october, '2026-09')).toMatchObject({ state: 'present', manifestSha256: manifestSha('2026-09') });
    // The month of the packet itself names no manifest: it is this packet.
    expect(pointOf(october, '2026-10').manifestSha256).toBeUndefined();
    expect(
      trendOf(october)
        .map((p) => `${p.period}:${p.state}`)
        .slice(-5),
    ).toEqual(['2026-06:missing', '2026-07:present', '2026-08:present', '2026-09:present', '2026-10:present']);
  }, 120_000);

  it('a month re-run since (another manifest) is verified again and shows its new packet', async () => {
    const before = manifestSha('2026-08');
    // Run under another configuration file: another run.json, another manifest.
    await run('2026-08', 'e'.repeat(64));
    expect(manifestSha('2026-08')).not.toBe(before);
    verifyCalls.mockClear();
    const october = await run('2026-10');
    expect(verifiedMonths()).toEqual(['2026-09', '2026-08']);
    expect(pointOf(october, '2026-08')).toMatchObject({ state: 'present', manifestSha256: manifestSha('2026-08') });
    expect(pointOf(october, '2026-07')).toMatchObject({ state: 'present', manifestSha256: manifestSha('2026-07') });
  }, 120_000);

  it('a month edited since (hashes recomputed) is verified again: an unverified gap, though September vouched for it', async () => {
    const folder = folderOf('2026-07');
    const file = path.join(folder, 'packet.json');
    const july = packetOf('2026-07');
    july.kpis.objectsPct = 100;
    writeFileSync(file, `${JSON.stringify(july, null, 2)}\n`);
    recomputeHashes(folder);
    const october = await run('2026-10');
    expect(verifiedMonths()).toEqual(['2026-09', '2026-08', '2026-07']);
    expect(pointOf(october, '2026-07')).toMatchObject({
      state: 'unverified',
      objectsPct: null,
      problem: 'the 2026-07 packet did not verify: packet.json differs from what evidence/ gives',
    });
    expect(pointOf(october, '2026-07').manifestSha256).toBeUndefined();
  }, 120_000);

  it("behind a month that does not verify, every older month is verified on its own: its packet's word is not taken", async () => {
    // July made again (it was edited above), then September, which is then edited, hashes recomputed.
    await run('2026-07');
    await run('2026-09');
    const folder = folderOf('2026-09');
    const september = packetOf('2026-09');
    september.kpis.objectsPct = 100;
    writeFileSync(path.join(folder, 'packet.json'), `${JSON.stringify(september, null, 2)}\n`);
    recomputeHashes(folder);
    verifyCalls.mockClear();
    const october = await run('2026-10');
    expect(verifiedMonths()).toEqual(['2026-09', '2026-08', '2026-07']);
    expect(pointOf(october, '2026-09').state).toBe('unverified');
    expect(pointOf(october, '2026-08')).toMatchObject({ state: 'present', manifestSha256: manifestSha('2026-08') });
    expect(pointOf(october, '2026-07')).toMatchObject({ state: 'present', manifestSha256: manifestSha('2026-07') });
  }, 180_000);
});

describe('signatures and links in the chain', () => {
  const signatureFiles = ['manifest.signature.json', 'manifest.public-key.der'];

  it('a signed month counts while its signature holds for the manifest.json that verified; a stale one makes it unverified', async () => {
    await run('2026-09');
    const folder = folderOf('2026-09');
    forgeSignature(folder, 'arn:aws:kms:eu-west-1:999900000000:key/sign-1');
    const signedSha = manifestSha('2026-09');
    let october = await run('2026-10');
    expect(pointOf(october, '2026-09')).toMatchObject({ state: 'present', manifestSha256: signedSha });
    // September made again (another manifest, which verifies on its own), carrying the old signature:
    // what a packet altered and re-hashed by someone without the signing key looks like.
    const signature = signatureFiles.map((f) => readFileSync(path.join(folder, f)));
    await run('2026-09', 'd'.repeat(64));
    signatureFiles.forEach((f, i) => writeFileSync(path.join(folder, f), signature[i]!));
    verifyCalls.mockClear();
    october = await run('2026-10');
    expect(verifiedMonths()).toEqual(['2026-09', '2026-08', '2026-07']);
    expect(pointOf(october, '2026-09')).toMatchObject({
      state: 'unverified',
      objectsPct: null,
      problem: `the 2026-09 packet did not verify: its signature does not verify: manifest.json has changed since it was signed (sha256 ${manifestSha('2026-09')}, signed ${signedSha})`,
    });
    signatureFiles.forEach((f) => rmSync(path.join(folder, f)));
  }, 180_000);

  it('a month whose signature file is null is unverified with that reason; the run goes on and writes its packet', async () => {
    await run('2026-09');
    const folder = folderOf('2026-09');
    forgeSignature(folder, 'arn:aws:kms:eu-west-1:999900000000:key/sign-1');
    writeFileSync(path.join(folder, 'manifest.signature.json'), 'null');
    const october = await run('2026-10');
    expect(pointOf(october, '2026-09')).toMatchObject({ state: 'unverified', objectsPct: null });
    expect(pointOf(october, '2026-09').problem).toBe(
      'the 2026-09 packet did not verify: its signature does not verify: manifest.signature.json unreadable: not a signature file: (top level): Invalid input: expected object, received null',
    );
    signatureFiles.forEach((f) => rmSync(path.join(folder, f)));
  }, 180_000);

  it('a month September vouches for whose manifest.json is now a link is verified on its own, and refused', async () => {
    await run('2026-09');
    const manifest = path.join(folderOf('2026-07'), 'manifest.json');
    const copy = path.join(ws.out, 'july-manifest.json');
    renameSync(manifest, copy);
    symlinkSync(copy, manifest);
    verifyCalls.mockClear();
    const october = await run('2026-10');
    expect(verifiedMonths()).toEqual(['2026-09', '2026-07']);
    expect(pointOf(october, '2026-08')).toMatchObject({ state: 'present', manifestSha256: manifestSha('2026-08') });
    expect(pointOf(october, '2026-07')).toMatchObject({ state: 'unverified', objectsPct: null });
    expect(pointOf(october, '2026-07').problem).toBe(
      "the 2026-07 packet did not verify: manifest.json unreadable: it is a symbolic link; a packet's manifest.json is a file of its own folder",
    );
  }, 180_000);
});
