/**
 * Sealed packets through the CLI against the fake endpoint: render/analyze refuse a signed or published
 * packet unless --revise (which keeps it under .revisions/), and `sign` / `publish` act on existing
 * packet folders, idempotently.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoWorkspace } from '../support/demo-workspace.js';
import { startFakeAws, type FakeAws } from '../support/fake-aws/index.js';
import { captured, cli } from '../support/cli.js';
import { forgeSignature } from '../support/forged-manifest.js';

const OPERATOR = '999900000000';
const SIGNING_KEY = `arn:aws:kms:eu-west-1:${OPERATOR}:key/sign-1`;
const OTHER_KEY = `arn:aws:kms:eu-west-1:${OPERATOR}:key/sign-2`;
const SSE_KEY = `arn:aws:kms:eu-west-1:${OPERATOR}:key/archive-1`;
let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let fake: FakeAws;
let cfg: string;
let folder: string;
const savedEnv = { ...process.env };

const aws = () => ['--config', cfg, '--endpoint-url', fake.endpoint];
const read = (rel: string) => readFileSync(path.join(folder, rel));
const archive = () => fake.scenario.accounts[0]!.buckets[0]!;

beforeAll(async () => {
  ws = await demoWorkspace();
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDOPERATOR', account: OPERATOR, arn: `arn:aws:iam::${OPERATOR}:role/evidence-runner` },
    accounts: [
      {
        id: OPERATOR,
        buckets: [{ name: 'evidence-archive', region: 'eu-west-1', versioning: 'Enabled' }],
        keys: [
          { id: 'sign-1', region: 'eu-west-1', signing: { spec: 'ECC_NIST_P256' } },
          { id: 'sign-2', region: 'eu-west-1', signing: { spec: 'ECC_NIST_P256' } },
        ],
      },
    ],
  });
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDOPERATOR',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_REGION: 'eu-west-1',
  });
  delete process.env.AWS_PROFILE;
  cfg = path.join(ws.root, 'config', 'demo.yaml');
  writeFileSync(cfg, `${readFileSync(cfg, 'utf8')}\npublish:\n  kmsKeyId: ${SSE_KEY}\n`);
  expect(await cli('run', '--config', cfg, '--period', '2026-10', '--tenant', 'northwind', '--out', ws.out)).toBe(0);
  folder = path.join(ws.out, '2026-10', 'northwind');
}, 120_000);
afterAll(async () => {
  process.env = savedEnv;
  await fake?.close();
  rmSync(ws.root, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

describe('s3-evidence sign <folder>', () => {
  it('signs an existing packet, which then verifies with the key', async () => {
    expect(await cli('sign', folder, '--sign-with', SIGNING_KEY, ...aws())).toBe(0);
    expect(captured.out).toBe(`${folder}: manifest signed with ${SIGNING_KEY} (ECDSA_SHA_256)\n`);
    expect(await cli('verify', folder, '--expect-key', SIGNING_KEY, '--endpoint-url', fake.endpoint)).toBe(0);
  }, 60_000);

  it('is idempotent: signing again with the same key changes nothing and calls kms:Sign no more', async () => {
    const before = read('manifest.signature.json');
    fake.recorder.reset();
    expect(await cli('sign', folder, '--sign-with', SIGNING_KEY, ...aws())).toBe(0);
    expect(captured.out).toBe(`${folder}: already signed, nothing to do with ${SIGNING_KEY} (ECDSA_SHA_256)\n`);
    expect(read('manifest.signature.json').equals(before)).toBe(true);
    expect(fake.recorder.find((c) => c.operation === 'Sign')).toEqual([]);
  });

  it('another key on a signed packet is refused (exit 2), naming both keys', async () => {
    expect(await cli('sign', folder, '--sign-with', OTHER_KEY, ...aws())).toBe(2);
    expect(captured.err).toBe(
      `s3-evidence: sign: ${folder} is already signed with ${SIGNING_KEY}, not ${OTHER_KEY}; a packet carries one signature (re-make it with render --revise to sign it anew)\n`,
    );
  });
});

describe('s3-evidence sign <folder> on a forged signature', () => {
  it('a signature in the name of the key but made with another key pair is not "already signed": refused (exit 2)', async () => {
    const companions = ['manifest.signature.json', 'manifest.public-key.der'];
    const genuine = companions.map((f) => read(f));
    try {
      forgeSignature(folder, SIGNING_KEY);
      fake.recorder.reset();
      expect(await cli('sign', folder, '--sign-with', SIGNING_KEY, ...aws())).toBe(2);
      expect(captured.err).toBe(
        `s3-evidence: sign: ${folder} is signed in the name of ${SIGNING_KEY} but not with its key (the stored public key is not the one kms:GetPublicKey gives); a packet carries one signature (re-make it with render --revise to sign it anew)\n`,
      );
      expect(fake.recorder.find((c) => c.operation === 'Sign')).toEqual([]);
    } finally {
      companions.forEach((f, i) => writeFileSync(path.join(folder, f), genuine[i]!));
    }
  });
});

describe('render and analyze on a sealed packet', () => {
  it('render on a signed packet refuses (exit 2, one line) and leaves every file as it was', async () => {
    const manifest = read('manifest.json');
    const pdf = read('northwind-2026-10.pdf');
    expect(await cli('render', folder)).toBe(2);
    expect(captured.err).toBe(
      `s3-evidence: render: ${folder} is signed with ${SIGNING_KEY}; render would change it and it would no longer verify. Pass --revise to keep it under ${path.join(ws.out, '2026-10', '.revisions')}/ and write a new packet in its place\n`,
    );
    expect(await cli('analyze', folder)).toBe(2);
    expect(captured.err).toContain(`analyze: ${folder} is signed with ${SIGNING_KEY}`);
    expect(read('manifest.json').equals(manifest)).toBe(true);
    expect(read('northwind-2026-10.pdf').equals(pdf)).toBe(true);
    expect(await cli('verify', folder, '--expect-key', SIGNING_KEY, '--endpoint-url', fake.endpoint)).toBe(0);
  }, 60_000);

  it('render --revise that gives the same packet leaves the signed one in place', async () => {
    const manifest = read('manifest.json');
    expect(await cli('render', folder, '--revise')).toBe(0);
    expect(captured.out).toContain(
      `${folder}: render gave the same packet; the signed with ${SIGNING_KEY} packet stays`,
    );
    expect(read('manifest.json').equals(manifest)).toBe(true);
    expect(existsSync(path.join(folder, 'manifest.signature.json'))).toBe(true);
    expect(existsSync(path.join(ws.out, '2026-10', '.revisions'))).toBe(false);
  }, 60_000);
});

describe('s3-evidence publish <folder>', () => {
  const to = 's3://evidence-archive/packets/';
  let uploaded: number;

  it('publishes a signed packet from its folder (every file but the receipt) and exits 0', async () => {
    expect(await cli('publish', folder, '--to', to, ...aws())).toBe(0);
    uploaded = Object.keys(archive().objects!).length;
    const local = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length;
    expect(uploaded).toBe(local - 1);
    expect(captured.out).toBe(
      `${folder}: published to s3://evidence-archive/packets/2026-10/northwind/: ${uploaded} object(s) uploaded, 0 already there with the same bytes\n`,
    );
  }, 60_000);

  it('publishing again succeeds (same bytes), uploading nothing', async () => {
    const before = { ...archive().uploads };
    expect(await cli('publish', folder, '--to', to, ...aws())).toBe(0);
    expect(captured.out).toBe(
      `${folder}: published to s3://evidence-archive/packets/2026-10/northwind/: 0 object(s) uploaded, ${uploaded} already there with the same bytes\n`,
    );
    expect(archive().uploads).toEqual(before);
  }, 60_000);

  it('analyze on the published packet refuses unless --revise, which keeps it under .revisions/', async () => {
    expect(await cli('analyze', folder)).toBe(2);
    expect(captured.err).toContain(
      `analyze: ${folder} is signed with ${SIGNING_KEY} and published to s3://evidence-archive/packets/2026-10/northwind/;`,
    );
    // A LETTER page makes a different packet: the sealed one is kept, the new one takes its place.
    const letter = path.join(ws.root, 'config', 'letter.yaml');
    writeFileSync(letter, readFileSync(cfg, 'utf8').replace('pageSize: A4', 'pageSize: LETTER'));
    const sealedManifest = read('manifest.json');
    expect(await cli('analyze', folder, '--revise', '--config', letter, '--json')).toBe(0);
    const summary = JSON.parse(captured.out) as { packets: Array<{ earlierRevision?: string }> };
    const movedTo = summary.packets[0]!.earlierRevision!;
    expect(movedTo).toMatch(/^\.revisions\/northwind-\d{8}T\d{6}Z$/);
    const kept = path.join(ws.out, '2026-10', movedTo);
    expect(readFileSync(path.join(kept, 'manifest.json')).equals(sealedManifest)).toBe(true);
    expect(existsSync(path.join(kept, 'manifest.signature.json'))).toBe(true);
    expect(existsSync(path.join(kept, 'publish-receipt.json'))).toBe(true);
    expect(await cli('verify', kept, '--expect-key', SIGNING_KEY, '--endpoint-url', fake.endpoint)).toBe(0);
    // The new packet is neither signed nor published, names the one it supersedes, and verifies.
    expect(existsSync(path.join(folder, 'manifest.signature.json'))).toBe(false);
    expect(existsSync(path.join(folder, 'publish-receipt.json'))).toBe(false);
    const note = JSON.parse(read('revision.json').toString('utf8')) as { supersedes: { movedTo: string } };
    expect(note.supersedes.movedTo).toBe(movedTo);
    expect(await cli('verify', folder)).toBe(0);
    expect(captured.out).toContain('signature: none');
  }, 120_000);

  it('publishing the revised packet to the same place is refused, naming the first object whose bytes differ (exit 1)', async () => {
    const before = { ...archive().uploads };
    expect(await cli('publish', folder, '--to', to, ...aws(), '--json')).toBe(1);
    const out = JSON.parse(captured.out) as {
      published: Array<{ receipt: { state: string; failure: { key: string; message: string } } }>;
    };
    const r = out.published[0]!.receipt;
    expect(r.state).toBe('refused_existing');
    // The LETTER page is the first file uploaded whose bytes differ from what is there.
    const key = 'packets/2026-10/northwind/northwind-2026-10.pdf';
    expect(r.failure.key).toBe(key);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('base64');
    expect(r.failure.message).toBe(
      `s3://evidence-archive/${key} already exists with different bytes (sha256 ${sha(archive().objects![key] as Buffer)}, this packet's ${sha(read('northwind-2026-10.pdf'))})`,
    );
    expect(archive().uploads).toEqual(before);
  }, 60_000);

  it('a packet that does not verify is neither signed nor published (exit 2)', async () => {
    writeFileSync(path.join(folder, 'northwind-2026-10.pdf'), 'not the PDF');
    expect(await cli('publish', folder, '--to', 's3://evidence-archive/elsewhere/', ...aws())).toBe(2);
    expect(captured.err).toContain(`publish: ${folder} does not verify (changed: northwind-2026-10.pdf`);
    expect(await cli('sign', folder, '--sign-with', SIGNING_KEY, ...aws())).toBe(2);
    expect(captured.err).toContain(`sign: ${folder} does not verify (changed: northwind-2026-10.pdf`);
    expect(Object.keys(archive().objects!).some((k) => k.startsWith('elsewhere/'))).toBe(false);
  }, 60_000);
});
