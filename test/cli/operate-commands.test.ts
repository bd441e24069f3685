/**
 * The operating commands through the CLI: run with --sign-with and --publish against the fake
 * endpoint (offline demo evidence), verify with the signature, the output lock, revisions on a
 * re-run, the portfolio, and doctor's exit code; init and iam refusing to overwrite.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoWorkspace } from '../support/demo-workspace.js';
import { startFakeAws, type FakeAws } from '../support/fake-aws/index.js';
import { captured, cli } from '../support/cli.js';
import { forgeSignature } from '../support/forged-manifest.js';

const OPERATOR = '999900000000';
const SIGNING_KEY = `arn:aws:kms:eu-west-1:${OPERATOR}:key/sign-1`;
const SSE_KEY = `arn:aws:kms:eu-west-1:${OPERATOR}:key/archive-1`;
let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let fake: FakeAws;
let cfg: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  ws = await demoWorkspace();
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDOPERATOR', account: OPERATOR, arn: `arn:aws:iam::${OPERATOR}:role/evidence-runner` },
    accounts: [
      {
        id: OPERATOR,
        buckets: [
          { name: 'evidence-archive', region: 'eu-west-1', versioning: 'Enabled', objectLock: { mode: 'COMPLIANCE' } },
        ],
        keys: [{ id: 'sign-1', region: 'eu-west-1', signing: { spec: 'ECC_NIST_P256' } }],
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
  writeFileSync(
    cfg,
    `${readFileSync(cfg, 'utf8')}\npublish:\n  kmsKeyId: ${SSE_KEY}\n  objectLock: { mode: COMPLIANCE, days: 365 }\n`,
  );
}, 60_000);
afterAll(async () => {
  process.env = savedEnv;
  await fake?.close();
  rmSync(ws.root, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

const runArgs = (...extra: string[]) => [
  'run',
  '--config',
  cfg,
  '--period',
  '2026-10',
  '--tenant',
  'northwind',
  '--out',
  ws.out,
  '--endpoint-url',
  fake.endpoint,
  ...extra,
];

describe('run --sign-with --publish', () => {
  let summary: {
    exitCode: number;
    signatures: Array<{ tenant: string; signature: { keyId: string } }>;
    published: Array<{ tenant: string; receipt: { state: string; uploaded: unknown[]; keyPrefix: string } }>;
    portfolio: { json: string };
  };
  beforeAll(async () => {
    expect(
      await cli(...runArgs('--sign-with', SIGNING_KEY, '--publish', 's3://evidence-archive/packets/', '--json')),
    ).toBe(0);
    summary = JSON.parse(captured.out);
  }, 60_000);

  it('signs the manifest and publishes every file of the packet under <prefix><period>/<tenant>/', () => {
    expect(summary.signatures).toEqual([
      {
        tenant: 'northwind',
        signature: expect.objectContaining({ keyId: SIGNING_KEY, signingAlgorithm: 'ECDSA_SHA_256' }),
      },
    ]);
    const r = summary.published[0]!.receipt;
    expect(r.state).toBe('published');
    expect(r.keyPrefix).toBe('packets/2026-10/northwind/');
    const keys = Object.keys(fake.scenario.accounts[0]!.buckets[0]!.objects!);
    const local = readdirSync(path.join(ws.out, '2026-10', 'northwind'), {
      recursive: true,
      withFileTypes: true,
    }).filter((d) => d.isFile()).length;
    expect(keys.length).toBe(local - 1); // everything but publish-receipt.json
    expect(keys).toContain('packets/2026-10/northwind/manifest.signature.json');
  });

  it('writes the portfolio beside the packets and releases the lock', () => {
    const p = JSON.parse(readFileSync(path.join(ws.out, '2026-10', 'portfolio.json'), 'utf8')) as {
      tenants: Array<{ tenant: string; status: string; complete: boolean }>;
    };
    expect(p.tenants.map((t) => [t.tenant, t.status, t.complete])).toEqual([['northwind', 'compliant', true]]);
    expect(existsSync(path.join(ws.out, '2026-10', 'portfolio.xlsx'))).toBe(true);
    expect(existsSync(path.join(ws.out, '.s3-evidence.lock'))).toBe(false);
  });

  it('verify checks the signature offline and reports key, algorithm and signing time; a changed byte fails', async () => {
    const folder = path.join(ws.out, '2026-10', 'northwind');
    expect(await cli('verify', folder, '--expect-key', SIGNING_KEY, '--endpoint-url', fake.endpoint)).toBe(0);
    expect(captured.out).toMatch(
      new RegExp(`signature: VERIFIED: key ${SIGNING_KEY}, ECDSA_SHA_256, signed \\d{4}-\\d\\d-\\d\\dT`),
    );
    expect(
      await cli(
        'verify',
        folder,
        '--expect-key',
        `arn:aws:kms:eu-west-1:${OPERATOR}:key/other`,
        '--endpoint-url',
        fake.endpoint,
      ),
    ).toBe(1);
    expect(captured.out).toContain('signature: FAILED');
    const m = path.join(folder, 'manifest.json');
    const text = readFileSync(m, 'utf8');
    writeFileSync(m, text.replace('"manifestVersion": 1', '"manifestVersion": 1 '));
    expect(await cli('verify', folder, '--json')).toBe(1);
    const rep = JSON.parse(captured.out) as { reports: Array<{ signature: { state: string; problems: string[] } }> };
    expect(rep.reports[0]!.signature.state).toBe('failed');
    writeFileSync(m, text);
  });

  it('--expect-key pins the public key KMS gives for the key: a signature in its name with another key pair fails', async () => {
    const folder = path.join(ws.out, '2026-10', 'northwind');
    const companions = ['manifest.signature.json', 'manifest.public-key.der'].map((f) => path.join(folder, f));
    const genuine = companions.map((f) => readFileSync(f));
    const trusted = path.join(ws.root, 'signing-key.der');
    writeFileSync(trusted, genuine[1]!);
    try {
      forgeSignature(folder, SIGNING_KEY);
      // Without a pin the forged signature is a valid one: it proves the manifest's integrity only.
      expect(await cli('verify', folder)).toBe(0);
      expect(captured.out).toContain(`signature: VERIFIED: key ${SIGNING_KEY}, ECDSA_SHA_256`);
      fake.recorder.reset();
      expect(await cli('verify', folder, '--expect-key', SIGNING_KEY, '--endpoint-url', fake.endpoint)).toBe(1);
      expect(captured.out).toContain(
        `  signature: FAILED: key ${SIGNING_KEY}, ECDSA_SHA_256, signed 2026-11-02T06:00:00.000Z\n    the stored public key is not the public key of ${SIGNING_KEY} (kms:GetPublicKey)\n`,
      );
      expect(fake.recorder.find((c) => c.operation === 'GetPublicKey').length).toBe(1);
      // Pinned offline: the same failure, and no AWS call.
      fake.recorder.reset();
      expect(await cli('verify', folder, '--expect-key', SIGNING_KEY, '--trusted-public-key', trusted)).toBe(1);
      expect(captured.out).toContain('    the stored public key is not the trusted public key\n');
      expect(fake.recorder.find(() => true)).toEqual([]);
    } finally {
      companions.forEach((f, i) => writeFileSync(f, genuine[i]!));
    }
    expect(await cli('verify', folder, '--expect-key', SIGNING_KEY, '--trusted-public-key', trusted)).toBe(0);
  });

  it('--expect-key whose public key KMS does not give fails, saying the key id alone is only a claim', async () => {
    const folder = path.join(ws.out, '2026-10', 'northwind');
    const missing = `arn:aws:kms:eu-west-1:${OPERATOR}:key/not-there`;
    expect(await cli('verify', folder, '--expect-key', missing, '--endpoint-url', fake.endpoint, '--json')).toBe(1);
    const report = JSON.parse(captured.out) as {
      reports: Array<{ ok: boolean; signature: { state: string; keyId: string; problems: string[] } }>;
    };
    expect(report.reports[0]).toMatchObject({ ok: false, signature: { state: 'failed', keyId: SIGNING_KEY } });
    expect(report.reports[0]!.signature.problems).toEqual([
      `signed with ${SIGNING_KEY}, not the expected key ${missing}`,
      `--expect-key ${missing}: Key '${missing}' does not exist. Without the key's public key, the key id manifest.signature.json names is only a claim: give --trusted-public-key <file> (exported once with aws kms get-public-key) to check it offline`,
    ]);
  });

  it("verify says whose packet it is; one in another tenant's or month's folder of the run's layout does not verify", async () => {
    const folder = path.join(ws.out, '2026-10', 'northwind');
    expect(await cli('verify', folder)).toBe(0);
    expect(captured.out.split('\n')[0]).toBe(`${folder}: VERIFIED (tenant northwind, 2026-10)`);
    const swapped = path.join(ws.root, 'swap', '2026-09', 'acme');
    const elsewhere = path.join(ws.root, 'swap', 'northwind-october');
    cpSync(folder, swapped, { recursive: true });
    cpSync(folder, elsewhere, { recursive: true });
    try {
      expect(await cli('verify', swapped)).toBe(1);
      expect(captured.out.split('\n').slice(0, 2)).toEqual([
        `${swapped}: NOT VERIFIED (tenant northwind, 2026-10)`,
        "  placement: the packet in 2026-09/acme/ is tenant northwind's for 2026-10, not tenant acme's for 2026-09",
      ]);
      expect(await cli('verify', swapped, '--json')).toBe(1);
      expect(JSON.parse(captured.out)).toMatchObject({
        reports: [
          {
            ok: false,
            owner: { tenant: 'northwind', period: '2026-10' },
            placement: expect.stringContaining('2026-09/acme/'),
          },
        ],
      });
      // Kept outside a period folder, it verifies wherever it is.
      expect(await cli('verify', elsewhere)).toBe(0);
      expect(captured.out.split('\n')[0]).toBe(`${elsewhere}: VERIFIED (tenant northwind, 2026-10)`);
    } finally {
      rmSync(path.join(ws.root, 'swap'), { recursive: true, force: true });
    }
  });

  it('a re-run whose packet differs keeps the earlier one as a revision; publishing it again is refused (exit 1)', async () => {
    writeFileSync(
      cfg,
      readFileSync(cfg, 'utf8').replace('operator: Example Managed Services', 'operator: Example Managed Services Ltd'),
    );
    const code = await cli(...runArgs('--publish', 's3://evidence-archive/packets/', '--json'));
    const s = JSON.parse(captured.out) as {
      packets: Array<{ earlierRevision?: string }>;
      published: Array<{ receipt: { state: string; failure: { code: string } } }>;
    };
    expect(s.packets[0]!.earlierRevision).toMatch(/^\.revisions\/northwind-\d{8}T\d{6}Z$/);
    const kept = path.join(ws.out, '2026-10', s.packets[0]!.earlierRevision!);
    expect(existsSync(path.join(kept, 'manifest.signature.json'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(ws.out, '2026-10', 'northwind', 'manifest.json'), 'utf8')) as {
      files: Array<{ path: string }>;
    };
    expect(manifest.files.map((f) => f.path)).toContain('revision.json');
    expect(s.published[0]!.receipt).toMatchObject({
      state: 'refused_existing',
      failure: { code: 'PreconditionFailed' },
    });
    expect(code).toBe(1);
  }, 60_000);
});

describe('run: guards', () => {
  it('a second run on a locked output folder exits 2 and names the holder', async () => {
    writeFileSync(
      path.join(ws.out, '.s3-evidence.lock'),
      JSON.stringify({
        pid: process.pid,
        host: os.hostname(),
        startedAt: new Date().toISOString(),
        command: 'run (other)',
        token: 'x',
      }),
    );
    expect(await cli(...runArgs())).toBe(2);
    expect(captured.err).toContain(`is held by pid ${process.pid} on ${os.hostname()}`);
    rmSync(path.join(ws.out, '.s3-evidence.lock'));
  });

  it('--publish without publish.kmsKeyId in the config, or a bad URL, stops before anything is collected (exit 2)', async () => {
    const plain = path.join(ws.root, 'config', 'demo.yaml').replace('demo.yaml', 'plain.yaml');
    writeFileSync(plain, readFileSync(cfg, 'utf8').replace(/\npublish:[\s\S]*$/, '\n'));
    expect(
      await cli(
        'run',
        '--config',
        plain,
        '--period',
        '2026-10',
        '--out',
        path.join(ws.root, 'out2'),
        '--publish',
        's3://evidence-archive/x/',
      ),
    ).toBe(2);
    expect(captured.err).toContain('--publish needs `publish.kmsKeyId`');
    expect(await cli(...runArgs('--publish', 'evidence-archive/x'))).toBe(2);
    expect(captured.err).toContain('is not an s3://bucket/prefix/ URL');
    expect(existsSync(path.join(ws.root, 'out2'))).toBe(false);
  });
});

describe('init, iam, doctor', () => {
  it('init writes once, then refuses (exit 2)', async () => {
    const file = path.join(ws.root, 'new', 'tenants.yaml');
    expect(await cli('init', file)).toBe(0);
    expect(await cli('init', file)).toBe(2);
    expect(captured.err).toContain('already exists; not overwriting it');
  });

  it('iam writes the four files', async () => {
    expect(await cli('iam', '--out', path.join(ws.root, 'iam'))).toBe(0);
    expect(readdirSync(path.join(ws.root, 'iam')).sort()).toEqual([
      'athena-engine-policy.json',
      'evidence-reader-policy.json',
      'publisher-policy.json',
      'reader-role.cfn.yaml',
    ]);
  });

  it('doctor exits 3 when a tenant is not ready (no role in an account the caller is not in); offline-only tenants are checked from their export for the period', async () => {
    const live = path.join(ws.root, 'config', 'live.yaml');
    writeFileSync(
      live,
      'version: 1\ntenants:\n  - id: t1\n    displayName: T1\n    accounts:\n      - id: "123456789012"\n',
    );
    expect(await cli('doctor', '--config', live, '--endpoint-url', fake.endpoint, '--json')).toBe(3);
    const rep = JSON.parse(captured.out) as {
      ready: boolean;
      tenants: Array<{ accounts: Array<{ checks: Array<{ area: string; status: string }> }> }>;
    };
    expect(rep.ready).toBe(false);
    expect(rep.tenants[0]!.accounts[0]!.checks[0]).toMatchObject({ area: 'role', status: 'gap' });
    // An offline-only tenant is checked from its export for the period: the demo's acme is complete for
    // 2026-10 (exit 0); for 2026-11 the export holds no inventory report and no log day, so not ready (exit 3).
    expect(await cli('doctor', '--config', cfg, '--tenant', 'acme', '--period', '2026-10')).toBe(0);
    expect(captured.out).toContain('acme: READY');
    expect(captured.out).toContain('All tenants ready');
    expect(await cli('doctor', '--config', cfg, '--tenant', 'acme', '--period', '2026-11')).toBe(3);
    expect(captured.out).toContain('acme: NOT READY');
    expect(captured.out).toContain('bucket acme-app-data');
    expect(captured.out).toContain('access logs cover 0 of 30 days of 2026-11');
    expect(captured.out).not.toContain('All tenants ready');
    expect(await cli('doctor', '--config', cfg, '--period', '2026-13')).toBe(2);
  });
});
