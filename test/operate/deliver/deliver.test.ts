import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveriesConfig } from '../../../src/config/schema.js';
import type { Packet } from '../../../src/model/packet.js';
import { deliverPacket, deliverPortfolio, type DeliveryContext } from '../../../src/operate/deliver/deliver.js';
import {
  mimeParts,
  startSmtpReceiver,
  startWebhookReceiver,
  TEST_CA_FILE,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../../support/delivery-receivers.js';
import { samplePacket } from '../../support/sample-packet.js';
import { stableJson } from '../../../src/util/atomic-write.js';

const SECRET_PATH = '/services/T0001/B0002/s3cr3t-T0KEN-never-print';
const SMTP_USER = 'mailer@msp.example';
const SMTP_PASS = 'correct-horse-battery-staple';
const TOOL = { name: 's3-evidence', version: '0.1.0' };

let root: string;
let hook: WebhookReceiver;
let smtp: SmtpReceiver;
let env: Record<string, string>;
const noSleep = async () => {};
const at = () => new Date('2026-11-02T08:00:00Z');

/** Every file of a folder with its sha256, to prove a delivery changed none of the packet's files. */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** A sealed packet folder: packet.json, a "PDF" of every byte value, a workbook, the OCSF export, a manifest. */
function packetFolder(out: string, packet: Packet): { folder: string; pdf: Buffer } {
  const folder = path.join(out, packet.period.label, packet.tenant.id);
  mkdirSync(path.join(folder, 'exports'), { recursive: true });
  const pdf = Buffer.concat([
    Buffer.from('%PDF-1.7\n'),
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    randomBytes(4096),
  ]);
  const files: Record<string, Buffer> = {
    'packet.json': Buffer.from(JSON.stringify(packet)),
    [`${packet.tenant.id}-${packet.period.label}.pdf`]: pdf,
    [`${packet.tenant.id}-${packet.period.label}.xlsx`]: Buffer.from('PK workbook'),
    'exports/ocsf-compliance-findings.jsonl': Buffer.from('{}\n'),
  };
  for (const [rel, bytes] of Object.entries(files)) writeFileSync(path.join(folder, rel), bytes);
  const manifest = {
    manifestVersion: 1,
    files: Object.entries(files).map(([p, b]) => ({
      path: p,
      sha256: createHash('sha256').update(b).digest('hex'),
      size: b.length,
    })),
  };
  writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
  return { folder, pdf };
}

function deliveries(
  destinations: DeliveriesConfig['destinations'],
  over: Partial<DeliveriesConfig> = {},
): DeliveriesConfig {
  return { attempts: 3, timeoutMs: 2000, destinations, ...over };
}

type Destination = DeliveriesConfig['destinations'][number];

const slack = (over: Record<string, unknown> = {}): Destination => ({
  id: 'ops-slack',
  type: 'webhook',
  format: 'slack',
  urlEnv: 'S3E_SLACK',
  send: 'tenants',
  caFile: TEST_CA_FILE,
  ...over,
});
const mail = (over: Record<string, unknown> = {}): Destination => ({
  id: 'client-mail',
  type: 'email',
  send: 'tenants',
  host: 'localhost',
  port: smtp.port,
  tls: 'starttls',
  userEnv: 'S3E_SMTP_USER',
  passwordEnv: 'S3E_SMTP_PASSWORD',
  from: 'evidence@msp.example',
  to: ['security@acme.example'],
  caFile: TEST_CA_FILE,
  ...over,
});

function ctx(d: DeliveriesConfig, over: Partial<DeliveryContext> = {}): DeliveryContext {
  // These folders are made up, not packets that verify: the check is tested on its own below.
  return {
    deliveries: d,
    tool: TOOL,
    env,
    now: at,
    sleep: noSleep,
    checkPacket: async () => undefined,
    checkPortfolio: async () => undefined,
    ...over,
  };
}

beforeAll(async () => {
  hook = await startWebhookReceiver();
  smtp = await startSmtpReceiver({ user: SMTP_USER, pass: SMTP_PASS });
});
afterAll(async () => {
  await hook.close();
  await smtp.close();
});
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 's3e-deliver-'));
  hook.requests.length = 0;
  hook.script = [];
  smtp.mails.length = 0;
  smtp.rcptScript = [];
  smtp.rcptCount = 0;
  env = {
    S3E_SLACK: hook.url(SECRET_PATH),
    S3E_TEAMS: hook.url(`/workflows/teams${SECRET_PATH}`),
    S3E_SMTP_USER: SMTP_USER,
    S3E_SMTP_PASSWORD: SMTP_PASS,
  };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('webhook deliveries', () => {
  it('Slack: one POST with the documented incoming-webhook shape; the packet is untouched and deliveries.json records it', async () => {
    const { folder } = packetFolder(root, samplePacket());
    const before = hashes(folder);
    const outcomes = await deliverPacket(
      folder,
      ctx(deliveries([slack()], { linkBase: 'https://evidence.example/p/' })),
    );
    expect(outcomes).toMatchObject([
      { destination: 'ops-slack', state: 'delivered', attempts: 1, tenant: 'acme', period: '2026-10' },
    ]);
    expect(hook.requests).toHaveLength(1);
    const req = hook.requests[0]!;
    expect(req.path).toBe(SECRET_PATH);
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(req.body) as { text: string; blocks: Array<Record<string, any>> };
    // The sample: ATTENTION, one failing control (s3-objects-encrypted), evidence incomplete (1 missing).
    expect(body.text).toBe(
      'ACME Corp 2026-10: ATTENTION, 1 failing control(s), evidence INCOMPLETE (1 missing). 3 controls failing',
    );
    expect(body.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'ACME Corp (acme) 2026-10: ATTENTION' },
    });
    expect(body.blocks[1]!.fields[0]).toEqual({ type: 'mrkdwn', text: '*Status*\nATTENTION' });
    expect(body.blocks[2]!.text.text).toBe(
      '*Failing controls*\n• Objects encrypted at rest: 1 bucket with unencrypted objects',
    );
    expect(body.blocks[3]!.text.text).toBe('*Since last month*\n• no packet for 2026-09 to compare with');
    expect(body.blocks[4]!.text.text).toBe(
      [
        '<https://evidence.example/p/2026-10/acme/acme-2026-10.pdf|acme-2026-10.pdf>',
        '<https://evidence.example/p/2026-10/acme/acme-2026-10.xlsx|acme-2026-10.xlsx>',
        '<https://evidence.example/p/2026-10/acme/exports/ocsf-compliance-findings.jsonl|exports/ocsf-compliance-findings.jsonl>',
        '<https://evidence.example/p/2026-10/acme/manifest.json|manifest.json>',
      ].join('\n'),
    );
    const after = hashes(folder);
    expect(Object.keys(after).filter((f) => !(f in before))).toEqual(['deliveries.json']);
    for (const [f, h] of Object.entries(before)) expect(after[f], f).toBe(h);
    const record = JSON.parse(readFileSync(path.join(folder, 'deliveries.json'), 'utf8'));
    expect(record).toEqual({
      deliveriesVersion: 1,
      deliveries: [
        {
          destination: 'ops-slack',
          type: 'webhook',
          state: 'delivered',
          attempts: 1,
          at: '2026-11-02T08:00:00.000Z',
          contentSha256: createHash('sha256')
            .update(readFileSync(path.join(folder, 'manifest.json')))
            .digest('hex'),
        },
      ],
    });
  });

  it('Teams: a message carrying one Adaptive Card; json: the summary as it is', async () => {
    const { folder } = packetFolder(root, samplePacket());
    await deliverPacket(
      folder,
      ctx(
        deliveries([
          slack({ id: 'teams', format: 'teams', urlEnv: 'S3E_TEAMS' }),
          slack({ id: 'siem', format: 'json', urlEnv: 'S3E_TEAMS' }),
        ]),
      ),
    );
    expect(hook.requests).toHaveLength(2);
    const teams = JSON.parse(hook.requests[0]!.body) as Record<string, any>;
    expect(teams.type).toBe('message');
    expect(teams.attachments).toHaveLength(1);
    expect(teams.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = teams.attachments[0].content;
    expect([card.type, card.version, card.body[0].text]).toEqual([
      'AdaptiveCard',
      '1.4',
      'ACME Corp (acme) 2026-10: ATTENTION',
    ]);
    expect(card.body[2]).toEqual({
      type: 'FactSet',
      facts: [
        { title: 'Status', value: 'ATTENTION' },
        { title: 'Why', value: '3 controls fail: a failing control or an active critical finding is never COMPLIANT' },
        { title: 'Failing controls', value: '1' },
        { title: 'Evidence', value: 'INCOMPLETE (1 missing)' },
      ],
    });
    // No linkBase: the files are named relative to the output folder, as text (no local path, no link action).
    expect(card.actions).toEqual([]);
    expect(card.body.at(-1)).toMatchObject({ type: 'TextBlock', text: '2026-10/acme/manifest.json' });
    const json = JSON.parse(hook.requests[1]!.body) as Record<string, any>;
    expect(json.tool).toEqual(TOOL);
    expect(json.kind).toBe('tenant');
    expect(json.summary).toMatchObject({
      tenant: 'acme',
      period: '2026-10',
      status: 'attention',
      complete: false,
      missingEvidence: 1,
      failingControls: [
        {
          id: 's3-objects-encrypted',
          title: 'Objects encrypted at rest',
          summary: '1 bucket with unencrypted objects',
        },
      ],
    });
    expect(JSON.stringify(json)).not.toContain(root);
  });

  it('a receiver answering 500 is tried again, at most `attempts` times; then the failure is recorded, not thrown', async () => {
    const { folder } = packetFolder(root, samplePacket());
    hook.script = [{ status: 500, body: 'busy' }, { status: 503 }, { status: 200 }];
    const ok = await deliverPacket(folder, ctx(deliveries([slack()])));
    expect(ok).toMatchObject([{ state: 'delivered', attempts: 3 }]);
    expect(hook.requests).toHaveLength(3);

    hook.requests.length = 0;
    hook.script = [{ status: 500, body: 'busy' }];
    const failed = await deliverPacket(folder, ctx(deliveries([slack()], { attempts: 2 }), { force: true }));
    expect(failed).toMatchObject([{ state: 'failed', attempts: 2, error: 'HTTP 500: busy' }]);
    expect(hook.requests).toHaveLength(2);
  });

  it('a permanent refusal (HTTP 400) is not retried', async () => {
    const { folder } = packetFolder(root, samplePacket());
    hook.script = [{ status: 400, body: 'invalid_payload' }];
    expect(await deliverPacket(folder, ctx(deliveries([slack()])))).toMatchObject([
      { state: 'failed', attempts: 1, error: 'HTTP 400: invalid_payload' },
    ]);
    expect(hook.requests).toHaveLength(1);
  });

  it('a receiver that never answers times out per attempt, and the pauses between attempts grow', async () => {
    const { folder } = packetFolder(root, samplePacket());
    hook.script = ['hang'];
    const pauses: number[] = [];
    const outcomes = await deliverPacket(
      folder,
      ctx(deliveries([slack()], { attempts: 3, timeoutMs: 700 }), { sleep: async (ms) => void pauses.push(ms) }),
    );
    expect(outcomes).toMatchObject([{ state: 'failed', attempts: 3, error: 'no answer within 700 ms' }]);
    expect(hook.requests).toHaveLength(3);
    expect(pauses).toEqual([1000, 2000]);
  });

  it('the test CA is trusted only through caFile: without it the certificate is refused, once, and nothing is sent', async () => {
    const { folder } = packetFolder(root, samplePacket());
    const outcomes = await deliverPacket(folder, ctx(deliveries([slack({ caFile: undefined })])));
    expect(outcomes).toMatchObject([{ state: 'failed', attempts: 1 }]);
    expect(outcomes[0]!.error).toMatch(
      /^TLS: the receiver's certificate is not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/,
    );
    expect(hook.requests).toHaveLength(0);
  });

  it('plain http:// and an unset variable are refused without a request, naming the variable, never the URL', async () => {
    const { folder } = packetFolder(root, samplePacket());
    env.S3E_PLAIN = `http://localhost:1${SECRET_PATH}`;
    const outcomes = await deliverPacket(
      folder,
      ctx(deliveries([slack({ id: 'plain', urlEnv: 'S3E_PLAIN' }), slack({ id: 'unset', urlEnv: 'S3E_NOT_SET' })])),
    );
    expect(outcomes.map((o) => [o.destination, o.state, o.attempts, o.error])).toEqual([
      ['plain', 'failed', 1, 'the webhook URL must be https://'],
      ['unset', 'failed', 1, 'environment variable S3E_NOT_SET is not set'],
    ]);
    expect(hook.requests).toHaveLength(0);
  });

  it('secrets never reach the record: a receiver echoing the webhook path has it redacted', async () => {
    const { folder } = packetFolder(root, samplePacket());
    hook.script = [{ status: 404, body: `no such hook ${SECRET_PATH} (${env.S3E_SLACK})` }];
    const outcomes = await deliverPacket(folder, ctx(deliveries([slack()])));
    expect(outcomes[0]!.error).toBe('HTTP 404: no such hook [redacted] ([redacted])');
    const record = readFileSync(path.join(folder, 'deliveries.json'), 'utf8');
    expect(record).not.toContain('s3cr3t-T0KEN');
    expect(JSON.stringify(outcomes)).not.toContain('s3cr3t-T0KEN');
  });

  it('re-delivering the same packet is a no-op per destination already reached; --force sends again; a changed packet is new content', async () => {
    const { folder } = packetFolder(root, samplePacket());
    await deliverPacket(folder, ctx(deliveries([slack()])));
    const again = await deliverPacket(
      folder,
      ctx(deliveries([slack()]), { now: () => new Date('2026-12-01T00:00:00Z') }),
    );
    expect(again).toMatchObject([{ state: 'already_delivered', at: '2026-11-02T08:00:00.000Z' }]);
    expect(hook.requests).toHaveLength(1);
    const key = hook.requests[0]!.headers['idempotency-key'];
    await deliverPacket(folder, ctx(deliveries([slack()]), { force: true }));
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[1]!.headers['idempotency-key']).toBe(key);
    writeFileSync(path.join(folder, 'manifest.json'), `${readFileSync(path.join(folder, 'manifest.json'), 'utf8')} `);
    expect(await deliverPacket(folder, ctx(deliveries([slack()])))).toMatchObject([{ state: 'delivered' }]);
    expect(hook.requests).toHaveLength(3);
    expect(hook.requests[2]!.headers['idempotency-key']).not.toBe(key);
  });

  it('only the tenants a destination names; changes since last month from the previous packet', async () => {
    const prev = samplePacket();
    prev.period = { ...prev.period, label: '2026-09' };
    prev.status = 'compliant';
    prev.controls = prev.controls.map((c) => ({ ...c, verdict: 'pass' as const }));
    prev.kpis = { ...prev.kpis, objectsPct: 95.5 };
    packetFolder(root, prev);
    const { folder } = packetFolder(root, samplePacket());
    const out = await deliverPacket(
      folder,
      ctx(deliveries([slack({ id: 'other', tenants: ['globex'] }), slack({ id: 'json', format: 'json' })])),
    );
    expect(out.map((o) => o.destination)).toEqual(['json']);
    const body = JSON.parse(hook.requests[0]!.body) as { summary: { changes: string[] } };
    expect(body.summary.changes).toEqual([
      'status COMPLIANT → ATTENTION',
      'now failing: Objects encrypted at rest',
      'objects encrypted 95.5 % → 99.98 %',
    ]);
  });
});

describe('what is delivered is what verifies', () => {
  it('by default verifies the packet (re-rendering it) before anything is sent: one that does not is not delivered', async () => {
    const { folder } = packetFolder(root, samplePacket());
    const c = ctx(deliveries([slack()]));
    delete c.checkPacket;
    await expect(deliverPacket(folder, c)).rejects.toThrow(/^the packet does not verify \(.+\): nothing sent$/);
    expect(hook.requests).toHaveLength(0);
    expect(existsSync(path.join(folder, 'deliveries.json'))).toBe(false);
  });

  it('a packet that does not check out (a swapped PDF, say) is not sent; one this run made is not checked again', async () => {
    const { folder } = packetFolder(root, samplePacket());
    const checked: Array<[string, boolean]> = [];
    const swapped = ctx(deliveries([slack(), mail()]), {
      checkPacket: async (f, o) => {
        checked.push([path.relative(root, f), o.rerender]);
        return 'acme-2026-10.pdf is not what packet.json renders to';
      },
    });
    await expect(deliverPacket(folder, swapped)).rejects.toThrow(
      'the packet does not verify (acme-2026-10.pdf is not what packet.json renders to): nothing sent',
    );
    expect([hook.requests.length, smtp.mails.length]).toEqual([0, 0]);
    expect(checked).toEqual([[path.join('2026-10', 'acme'), true]]);
    const made = await deliverPacket(folder, { ...swapped, madeThisRun: new Set([folder]) });
    expect(made).toMatchObject([{ state: 'delivered' }, { state: 'delivered' }]);
    expect(checked).toHaveLength(1);
  });

  it("compares with last month's packet only if it verifies and is the tenant's own for that month", async () => {
    const prev = samplePacket();
    prev.period = { ...prev.period, label: '2026-09' };
    prev.kpis = { ...prev.kpis, objectsPct: 95.5 };
    const prevFolder = packetFolder(root, prev).folder;
    const { folder } = packetFolder(root, samplePacket());
    const changes = async (check: DeliveryContext['checkPacket']) => {
      hook.requests.length = 0;
      await deliverPacket(
        folder,
        ctx(deliveries([slack({ id: 'json', format: 'json' })]), { checkPacket: check, force: true }),
      );
      return (JSON.parse(hook.requests[0]!.body) as { summary: { changes: string[] } }).summary.changes;
    };
    const checked: Array<[string, boolean]> = [];
    expect(
      await changes(async (f, o) => {
        checked.push([path.relative(root, f), o.rerender]);
        return f === prevFolder ? 'changed: packet.json (its sha256 is not the one manifest.json lists)' : undefined;
      }),
    ).toEqual([
      'not compared with 2026-09: the 2026-09 packet does not verify (changed: packet.json (its sha256 is not the one manifest.json lists))',
    ]);
    // The packet sent is re-rendered; last month's only re-derived (its figures are all that is used).
    expect(checked).toEqual([
      [path.join('2026-10', 'acme'), true],
      [path.join('2026-09', 'acme'), false],
    ]);
    // Another tenant's packet copied into acme's September folder.
    const other = structuredClone(prev);
    other.tenant = { ...other.tenant, id: 'globex' };
    writeFileSync(path.join(prevFolder, 'packet.json'), JSON.stringify(other));
    expect(await changes(async () => undefined)).toEqual([
      "not compared with 2026-09: the packet found for 2026-09 is tenant globex's for 2026-09",
    ]);
    writeFileSync(path.join(prevFolder, 'packet.json'), JSON.stringify(prev));
    expect(await changes(async () => undefined)).toEqual(['objects encrypted 95.5 % → 99.98 %']);
  });
});

describe('e-mail deliveries', () => {
  it('STARTTLS with the account from the environment; the PDF is attached byte for byte', async () => {
    const { folder, pdf } = packetFolder(root, samplePacket());
    const outcomes = await deliverPacket(folder, ctx(deliveries([mail()])));
    expect(outcomes).toMatchObject([{ destination: 'client-mail', type: 'email', state: 'delivered', attempts: 1 }]);
    expect(smtp.mails).toHaveLength(1);
    const m = smtp.mails[0]!;
    expect([m.from, m.to, m.secure, m.user]).toEqual([
      'evidence@msp.example',
      ['security@acme.example'],
      true,
      SMTP_USER,
    ]);
    const parts = mimeParts(m.raw);
    const top = parts[0]!.headers;
    expect(top.subject).toBe('ACME Corp (acme) 2026-10: ATTENTION');
    const attachment = parts.find((p) => /filename="?acme-2026-10\.pdf"?/.test(p.headers['content-disposition'] ?? ''));
    expect(attachment?.headers['content-type']).toMatch(/^application\/pdf/);
    expect(attachment!.body.equals(pdf)).toBe(true);
    const text = parts
      .find((p) => /^text\/plain/.test(p.headers['content-type'] ?? ''))!
      .body.toString('utf8')
      .replace(/\r\n/g, '\n');
    expect(text).toContain('Failing controls:\n  - Objects encrypted at rest: 1 bucket with unencrypted objects');
    const messageId = outcomes[0]!.messageId;
    expect(messageId).toMatch(/^<[0-9a-f]{32}\.client-mail@s3-evidence>$/);
    expect(top['message-id']).toBe(messageId);
    const record = readFileSync(path.join(folder, 'deliveries.json'), 'utf8');
    expect(record).not.toContain(SMTP_PASS);
  });

  it('a recipient refused with 550 fails at once; a 451 is tried again', async () => {
    const { folder } = packetFolder(root, samplePacket());
    smtp.rcptScript = [550];
    const refused = await deliverPacket(folder, ctx(deliveries([mail()])));
    expect(refused).toMatchObject([{ state: 'failed', attempts: 1 }]);
    expect(refused[0]!.error).toMatch(/^SMTP 550: 550 Recipient refused/);
    expect(smtp.mails).toHaveLength(0);

    smtp.rcptScript = [451];
    smtp.rcptCount = 0;
    const later = await deliverPacket(folder, ctx(deliveries([mail()])));
    expect(later).toMatchObject([{ state: 'delivered', attempts: 2 }]);
    expect(smtp.mails).toHaveLength(1);
  });

  it('a wrong password is refused without retry and the password appears nowhere; a closed port is a connection failure', async () => {
    const { folder } = packetFolder(root, samplePacket());
    env.S3E_SMTP_PASSWORD = 'wrong-password-value';
    const out = await deliverPacket(folder, ctx(deliveries([mail()])));
    expect(out).toMatchObject([{ state: 'failed', attempts: 1 }]);
    expect(out[0]!.error).toMatch(/^SMTP 535: /);
    expect(readFileSync(path.join(folder, 'deliveries.json'), 'utf8')).not.toContain('wrong-password-value');

    const closed = await deliverPacket(folder, ctx(deliveries([mail({ port: 1 })], { attempts: 2 })));
    expect(closed).toMatchObject([{ state: 'failed', attempts: 2, error: 'SMTP connection failed (ESOCKET)' }]);
  });
});

describe('portfolio deliveries', () => {
  it('the portfolio summary to a webhook and its workbook by e-mail, recorded beside it', async () => {
    const periodDir = path.join(root, '2026-10');
    mkdirSync(periodDir, { recursive: true });
    const row = (tenant: string, status: string, failing: number, complete: boolean) => ({
      tenant,
      displayName: tenant.toUpperCase(),
      status,
      failingControls: failing,
      complete,
    });
    writeFileSync(
      path.join(periodDir, 'portfolio.json'),
      JSON.stringify({
        portfolioVersion: 1,
        period: '2026-10',
        tenants: [
          row('acme', 'attention', 3, true),
          row('globex', 'incomplete', 0, false),
          row('northwind', 'compliant', 0, true),
        ],
      }),
    );
    const xlsx = randomBytes(2048);
    writeFileSync(path.join(periodDir, 'portfolio.xlsx'), xlsx);
    const out = await deliverPortfolio(
      periodDir,
      ctx(
        deliveries([
          slack({ send: 'portfolio', format: 'json' }),
          mail({ send: 'both' }),
          slack({ id: 'tenants-only' }),
        ]),
      ),
    );
    expect(out.map((o) => [o.destination, o.state, o.tenant])).toEqual([
      ['ops-slack', 'delivered', undefined],
      ['client-mail', 'delivered', undefined],
    ]);
    const json = JSON.parse(hook.requests[0]!.body) as {
      kind: string;
      summary: { period: string; tenants: unknown[] };
    };
    expect([json.kind, json.summary.period, json.summary.tenants.length]).toEqual(['portfolio', '2026-10', 3]);
    const parts = mimeParts(smtp.mails[0]!.raw);
    expect(parts[0]!.headers.subject).toBe('Portfolio 2026-10: 3 tenant(s)');
    const text = parts
      .find((p) => /^text\/plain/.test(p.headers['content-type'] ?? ''))!
      .body.toString('utf8')
      .replace(/\r\n/g, '\n');
    expect(text).toContain('Portfolio 2026-10: 1 COMPLIANT, 1 ATTENTION, 1 INCOMPLETE');
    expect(text).toContain('  - ACME (acme): ATTENTION, 3 failing control(s)');
    expect(text).toContain('  - GLOBEX (globex): INCOMPLETE, evidence incomplete');
    const att = parts.find((p) => /portfolio-2026-10\.xlsx/.test(p.headers['content-disposition'] ?? ''));
    expect(att!.body.equals(xlsx)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(periodDir, 'portfolio-deliveries.json'), 'utf8')).deliveries).toHaveLength(
      2,
    );
  });

  it('sends a portfolio only if it is what the packets give now; the one a run has just written is not checked again', async () => {
    const periodDir = path.join(root, '2026-10');
    mkdirSync(periodDir, { recursive: true });
    // What an empty period folder gives, as `portfolio` writes it: only the workbook is not.
    writeFileSync(
      path.join(periodDir, 'portfolio.json'),
      stableJson({ portfolioVersion: 2, period: '2026-10', tenants: [] }),
    );
    writeFileSync(path.join(periodDir, 'portfolio.xlsx'), randomBytes(64));
    const checked: string[] = [];
    const c = ctx(deliveries([slack({ send: 'portfolio' }), mail({ send: 'both' })]), {
      checkPortfolio: async (dir) => {
        checked.push(dir);
        return "portfolio.json is not what the period's packets give now (`s3-evidence portfolio` rebuilds it)";
      },
    });
    await expect(deliverPortfolio(periodDir, c)).rejects.toThrow(
      "the portfolio does not check out (portfolio.json is not what the period's packets give now (`s3-evidence portfolio` rebuilds it)): nothing sent",
    );
    expect([checked, hook.requests.length, smtp.mails.length]).toEqual([[periodDir], 0, 0]);
    expect(existsSync(path.join(periodDir, 'portfolio-deliveries.json'))).toBe(false);
    const made = await deliverPortfolio(periodDir, { ...c, madeThisRun: new Set([periodDir]) });
    expect(made.map((o) => o.state)).toEqual(['delivered', 'delivered']);
    expect(checked).toHaveLength(1);
    // By default the portfolio is rebuilt from the folder and compared, byte for byte.
    const byDefault = ctx(deliveries([slack({ send: 'portfolio' })]), { force: true });
    delete byDefault.checkPortfolio;
    await expect(deliverPortfolio(periodDir, byDefault)).rejects.toThrow(
      'the portfolio does not check out (portfolio.xlsx is not what portfolio.json renders to): nothing sent',
    );
  });
});
