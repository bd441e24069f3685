import {
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../src/model/packet.js';
import { captured, cli } from '../support/cli.js';
import { demoWorkspace } from '../support/demo-workspace.js';
import { makeDeviceOrSocket, makeFifo } from '../support/special-files.js';

/**
 * Hostile files in northwind's export (the demo's COMPLIANT tenant), one `run` through the CLI: every
 * one is refused with its reason, nothing outside the export reaches the packet, the run does not
 * hang, northwind is no longer COMPLIANT and acme's packet is unaffected.
 */
let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let code: number;
let summary: { packets: Array<{ tenant: string; status: string; complete: boolean }> };
let elapsedMs: number;
let deviceKind: string;
const ACCOUNT = '111111111111';
const s3api = (bucket: string, file: string) => path.join(ws.exportsDir, 'accounts', ACCOUNT, 's3api', bucket, file);
/** How a packet records a local location: relative to the configuration file's folder. */
const recorded = (abs: string) => path.relative(path.join(ws.root, 'config'), abs);
const packetOf = (tenant: string) =>
  JSON.parse(readFileSync(path.join(ws.out, '2026-10', tenant, 'packet.json'), 'utf8')) as Packet;
const recordOf = (tenant: string, rel: string) =>
  JSON.parse(
    readFileSync(path.join(ws.out, '2026-10', tenant, 'evidence', 'accounts', ACCOUNT, ...rel.split('/')), 'utf8'),
  ) as { outcome: string; error?: { code: string; message: string } };
const inventoryDir = (bucket: string) => path.join(ws.exportsDir, 'inventory', 'northwind', bucket, 'encryption-audit');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

beforeAll(async () => {
  ws = await demoWorkspace();
  const outside = path.join(ws.root, 'outside');
  mkdirSync(outside);
  // 1. A link out of the export to a well-formed, passing encryption answer.
  writeFileSync(
    path.join(outside, 'enc.json'),
    readFileSync(s3api('northwind-prod-records', 'get-bucket-encryption.json')),
  );
  unlinkSync(s3api('northwind-prod-records', 'get-bucket-encryption.json'));
  symlinkSync(path.join(outside, 'enc.json'), s3api('northwind-prod-records', 'get-bucket-encryption.json'));
  // 2. A link to /etc/passwd as a bucket policy.
  unlinkSync(s3api('northwind-prod-imaging', 'get-bucket-policy.json'));
  symlinkSync('/etc/passwd', s3api('northwind-prod-imaging', 'get-bucket-policy.json'));
  // 3. A FIFO as a public access block: reading it would wait for ever.
  unlinkSync(s3api('northwind-backups', 'get-public-access-block.json'));
  makeFifo(s3api('northwind-backups', 'get-public-access-block.json'));
  // 4. A key id that climbs out of kms/<region>/ to a decoy of a perfect customer key.
  const enc = JSON.parse(readFileSync(s3api('northwind-backups', 'get-bucket-encryption.json'), 'utf8')) as {
    ServerSideEncryptionConfiguration: {
      Rules: Array<{ ApplyServerSideEncryptionByDefault: { KMSMasterKeyID: string } }>;
    };
  };
  enc.ServerSideEncryptionConfiguration.Rules[0]!.ApplyServerSideEncryptionByDefault.KMSMasterKeyID =
    'key/../../../../outside';
  writeFileSync(s3api('northwind-backups', 'get-bucket-encryption.json'), JSON.stringify(enc));
  const decoy = path.join(ws.exportsDir, 'accounts', 'outside');
  mkdirSync(decoy);
  writeFileSync(
    path.join(decoy, 'describe-key.json'),
    JSON.stringify({ KeyMetadata: { KeyId: 'DECOY-KEY', KeyManager: 'CUSTOMER', KeyState: 'Enabled', Enabled: true } }),
  );
  writeFileSync(path.join(decoy, 'get-key-rotation-status.json'), JSON.stringify({ KeyRotationEnabled: true }));
  // 5. Every inventory data file of one bucket is a device (endless bytes) or a socket.
  for (const file of filesUnder(path.join(inventoryDir('northwind-prod-imaging'), 'data'))) {
    unlinkSync(file);
    deviceKind = await makeDeviceOrSocket(file);
  }
  // 6. Every manifest of another bucket's reports is a FIFO.
  for (const file of filesUnder(inventoryDir('northwind-backups')).filter((f) => f.endsWith('manifest.json'))) {
    unlinkSync(file);
    makeFifo(file);
  }
  // 7. A tagging answer over the size limit (sparse: no disk used) for the bucket that tags leave out of scope.
  writeFileSync(s3api('scratch-build-cache', 'get-bucket-tagging.json'), '');
  truncateSync(s3api('scratch-build-cache', 'get-bucket-tagging.json'), 257 * 1024 * 1024);
  // 8. An access log file that is a link to /etc/passwd.
  const logs = filesUnder(path.join(ws.exportsDir, 'logs', 'northwind', 'access-logs'));
  unlinkSync(logs[0]!);
  symlinkSync('/etc/passwd', logs[0]!);

  const started = Date.now();
  code = await cli(
    'run',
    '--config',
    path.join(ws.root, 'config', 'demo.yaml'),
    '--period',
    '2026-10',
    '--tenant',
    'northwind',
    '--tenant',
    'acme',
    '--out',
    ws.out,
    '--json',
  );
  elapsedMs = Date.now() - started;
  summary = JSON.parse(captured.out) as typeof summary;
}, 240_000);

afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

describe('confined reads through `run`', () => {
  it('completes without hanging, exit 3; northwind incomplete and not compliant, acme complete', () => {
    expect(code).toBe(3);
    expect(elapsedMs).toBeLessThan(200_000);
    const byTenant = Object.fromEntries(summary.packets.map((p) => [p.tenant, p]));
    expect(byTenant.northwind).toMatchObject({ complete: false });
    expect(byTenant.northwind!.status).not.toBe('compliant');
    expect(byTenant.acme).toMatchObject({ complete: true });
  });

  it('no byte of /etc/passwd or of the decoy outside the export is in any packet file', () => {
    const passwdHead = readFileSync('/etc/passwd', 'utf8').slice(0, 12);
    for (const file of filesUnder(path.join(ws.out, '2026-10'))) {
      if (statSync(file).size > 50 * 1024 * 1024) continue;
      const text = readFileSync(file).toString('latin1');
      expect(text.includes(passwdHead), file).toBe(false);
      expect(text.includes('DECOY-KEY'), file).toBe(false);
    }
  });

  it('a link out of the export: encryption unreadable, naming the file and why', () => {
    const rec = recordOf('northwind', 's3/northwind-prod-records/get-bucket-encryption.json');
    expect(rec).toMatchObject({ outcome: 'error', error: { code: 'OutsideRoot' } });
    expect(rec.error!.message).toBe(
      `${recorded(s3api('northwind-prod-records', 'get-bucket-encryption.json'))}: is a symbolic link that leads outside ${recorded(path.join(ws.exportsDir, 'accounts', ACCOUNT))}`,
    );
    const missing = packetOf('northwind').completeness.missing;
    expect(missing).toContainEqual({
      scope: 'bucket northwind-prod-records',
      source: 's3:GetBucketEncryption',
      reason: `OutsideRoot: ${rec.error!.message}`,
    });
  });

  it('a link to /etc/passwd as a policy: unreadable, the TLS and SSE verdicts are not a pass', () => {
    expect(recordOf('northwind', 's3/northwind-prod-imaging/get-bucket-policy.json')).toMatchObject({
      outcome: 'error',
      error: { code: 'OutsideRoot' },
    });
    const imaging = packetOf('northwind').buckets.find((b) => b.name === 'northwind-prod-imaging')!;
    expect(imaging.sseEnforcement.level).toBe('unknown');
  });

  it('a FIFO is refused as one', () => {
    expect(recordOf('northwind', 's3/northwind-backups/get-public-access-block.json')).toMatchObject({
      outcome: 'error',
      error: {
        code: 'NotARegularFile',
        message: `${recorded(s3api('northwind-backups', 'get-public-access-block.json'))}: is a named pipe (FIFO), not a regular file`,
      },
    });
  });

  it('a ../ key id is never read: the key is unreadable with the id and the expected format', () => {
    const p = packetOf('northwind');
    const m = p.completeness.missing.find(
      (x) => x.source === 'kms:DescribeKey' && x.reason.includes('key/../../../../outside'),
    );
    expect(m?.reason).toBe(
      'InvalidIdentifier: not read from the export: "key/../../../../outside" is not a KMS key id (UUID or mrk-…), key ARN, alias name (alias/…) or alias ARN',
    );
  });

  it('device or socket data files and FIFO manifests leave coverage unverified, naming the kind', () => {
    const p = packetOf('northwind');
    const imaging = p.buckets.find((b) => b.name === 'northwind-prod-imaging')!;
    expect(imaging.coverage.state).toBe('unverified');
    expect(JSON.stringify(imaging.coverage)).toContain(`is ${deviceKind}, not a regular file`);
    const backups = p.buckets.find((b) => b.name === 'northwind-backups')!;
    expect(backups.coverage.state).toBe('unverified');
    expect(JSON.stringify(backups.coverage)).toContain('is a named pipe (FIFO), not a regular file');
  });

  it("an oversized tagging answer leaves the bucket's scope undecided, named, never silently out", () => {
    const rec = recordOf('northwind', 's3/scratch-build-cache/get-bucket-tagging.json');
    expect(rec).toMatchObject({
      outcome: 'error',
      error: {
        code: 'TooLarge',
        message: `${recorded(s3api('scratch-build-cache', 'get-bucket-tagging.json'))}: is ${257 * 1024 * 1024} bytes, over the ${256 * 1024 * 1024}-byte limit`,
      },
    });
    expect(packetOf('northwind').completeness.missing.some((m) => m.scope === 'bucket scratch-build-cache')).toBe(true);
  });

  it('nothing is left behind: no lock, no staging folder', () => {
    expect(readdirSync(ws.out).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readdirSync(path.join(ws.out, '2026-10')).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
