/**
 * Deliveries through the command line: `run` sends each packet's summary and the portfolio after the
 * packets are sealed, to a local HTTPS receiver and a local SMTP server; a failing destination changes
 * neither the packets (they verify) nor the exit code; `deliver <period folder>` sends again what did
 * not arrive and skips what did; no secret reaches the output or any file.
 */
import { appendFileSync, copyFileSync, cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captured, cli } from '../support/cli.js';
import { demoWorkspace } from '../support/demo-workspace.js';
import {
  mimeParts,
  startSmtpReceiver,
  startWebhookReceiver,
  TEST_CA_FILE,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../support/delivery-receivers.js';

const TOKEN = 'XoXb-s3cr3t-webhook-T0KEN';
const SMTP_PASS = 'smtp-password-never-logged';
let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let cfg: string;
let hook: WebhookReceiver;
let smtp: SmtpReceiver;

interface Outcome {
  destination: string;
  tenant?: string;
  period: string;
  state: string;
  attempts: number;
  error?: string;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

beforeAll(async () => {
  ws = await demoWorkspace();
  hook = await startWebhookReceiver();
  smtp = await startSmtpReceiver({ user: 'mailer', pass: SMTP_PASS });
  cfg = path.join(ws.root, 'config', 'demo.yaml');
  appendFileSync(
    cfg,
    [
      'deliveries:',
      '  linkBase: https://evidence.example/packets/',
      '  attempts: 2',
      '  timeoutMs: 5000',
      '  destinations:',
      '    - id: ops-hook',
      '      type: webhook',
      '      format: slack',
      '      urlEnv: S3E_TEST_HOOK_URL',
      '      send: both',
      `      caFile: ${TEST_CA_FILE}`,
      '    - id: acme-mail',
      '      type: email',
      '      host: localhost',
      `      port: ${smtp.port}`,
      '      userEnv: S3E_TEST_SMTP_USER',
      '      passwordEnv: S3E_TEST_SMTP_PASSWORD',
      '      from: evidence@msp.example',
      '      to: [security@acme.example]',
      '      tenants: [acme]',
      `      caFile: ${TEST_CA_FILE}`,
      '',
    ].join('\n'),
  );
  process.env.S3E_TEST_HOOK_URL = hook.url(`/services/${TOKEN}`);
  process.env.S3E_TEST_SMTP_USER = 'mailer';
  process.env.S3E_TEST_SMTP_PASSWORD = SMTP_PASS;
}, 60_000);

afterAll(async () => {
  delete process.env.S3E_TEST_HOOK_URL;
  delete process.env.S3E_TEST_SMTP_USER;
  delete process.env.S3E_TEST_SMTP_PASSWORD;
  await hook.close();
  await smtp.close();
  rmSync(ws.root, { recursive: true, force: true });
});

describe('deliveries after run, and deliver', () => {
  it('a failing webhook is reported and changes neither the exit code nor the packets; the e-mail carries the PDF', async () => {
    hook.script = [{ status: 500, body: 'receiver down' }];
    const code = await cli('run', '--config', cfg, '--period', '2026-10', '--out', ws.out, '--json');
    // globex is incomplete on purpose: 3, as without deliveries.
    expect(code).toBe(3);
    const summary = JSON.parse(captured.out) as { exitCode: number; deliveries: Outcome[] };
    expect(summary.exitCode).toBe(3);
    expect(summary.deliveries.map((o) => [o.destination, o.tenant ?? 'portfolio', o.state, o.attempts])).toEqual([
      ['ops-hook', 'northwind', 'failed', 2],
      ['ops-hook', 'acme', 'failed', 2],
      ['acme-mail', 'acme', 'delivered', 1],
      ['ops-hook', 'globex', 'failed', 2],
      ['ops-hook', 'portfolio', 'failed', 2],
    ]);
    expect(summary.deliveries[0]!.error).toBe('HTTP 500: receiver down');
    expect(hook.requests).toHaveLength(8);

    expect(smtp.mails).toHaveLength(1);
    const parts = mimeParts(smtp.mails[0]!.raw);
    expect(parts[0]!.headers.subject).toBe('ACME Corp (acme) 2026-10: ATTENTION');
    const pdf = parts.find((p) => /acme-2026-10\.pdf/.test(p.headers['content-disposition'] ?? ''))!;
    expect(pdf.body.equals(readFileSync(path.join(ws.out, '2026-10', 'acme', 'acme-2026-10.pdf')))).toBe(true);

    // Every packet still verifies: deliveries.json sits beside the manifest, outside it.
    for (const t of ['northwind', 'acme', 'globex']) {
      expect(await cli('verify', path.join(ws.out, '2026-10', t)), t).toBe(0);
    }
  }, 240_000);

  it('deliver <period folder> sends what did not arrive, skips what did, and a second time sends nothing', async () => {
    hook.requests.length = 0;
    hook.script = [];
    smtp.mails.length = 0;
    const code = await cli('deliver', path.join(ws.out, '2026-10'), '--config', cfg);
    expect(code).toBe(0);
    expect(captured.out.trimEnd().split('\n')).toEqual([
      'acme 2026-10: delivered to ops-hook (webhook)',
      expect.stringMatching(/^acme 2026-10: already delivered to acme-mail at \d{4}-\d\d-\d\dT/),
      'globex 2026-10: delivered to ops-hook (webhook)',
      'northwind 2026-10: delivered to ops-hook (webhook)',
      'portfolio 2026-10: delivered to ops-hook (webhook)',
    ]);
    expect(hook.requests).toHaveLength(4);
    expect(smtp.mails).toHaveLength(0);
    const acme = JSON.parse(hook.requests[0]!.body) as { blocks: Array<{ text?: { text: string } }> };
    expect(acme.blocks.at(-1)!.text!.text).toContain(
      '<https://evidence.example/packets/2026-10/acme/acme-2026-10.pdf|acme-2026-10.pdf>',
    );

    expect(await cli('deliver', path.join(ws.out, '2026-10'), '--config', cfg, '--json')).toBe(0);
    const again = JSON.parse(captured.out) as { deliveries: Outcome[] };
    expect(new Set(again.deliveries.map((o) => o.state))).toEqual(new Set(['already_delivered']));
    expect(hook.requests).toHaveLength(4);
  }, 120_000);

  it('a failed delivery from `deliver` exits 1; no secret is printed or written anywhere under the output folder', async () => {
    hook.script = [{ status: 403, body: `forbidden /services/${TOKEN}` }];
    const code = await cli('deliver', path.join(ws.out, '2026-10', 'acme'), '--config', cfg, '--force');
    expect(code).toBe(1);
    expect(captured.out).toContain(
      'acme 2026-10: DELIVERY FAILED to ops-hook (webhook) after 1 attempt(s): HTTP 403: forbidden [redacted]',
    );
    for (const text of [captured.out, captured.err]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(SMTP_PASS);
    }
    for (const file of filesUnder(ws.out)) {
      const bytes = readFileSync(file);
      expect(bytes.includes(TOKEN), file).toBe(false);
      expect(bytes.includes(SMTP_PASS), file).toBe(false);
    }
  }, 120_000);

  /** `deliver <folder> --force` with both receivers emptied first. */
  async function deliverAfresh(folder: string): Promise<number> {
    hook.requests.length = 0;
    hook.script = [];
    smtp.mails.length = 0;
    return cli('deliver', folder, '--config', cfg, '--force');
  }

  it('deliver sends nothing of a packet that does not verify, nor a portfolio that counts it: a swapped PDF is named, exit 1', async () => {
    const out = path.join(ws.root, 'out-swapped');
    cpSync(ws.out, out, { recursive: true });
    const acme = path.join(out, '2026-10', 'acme');
    copyFileSync(path.join(out, '2026-10', 'northwind', 'northwind-2026-10.pdf'), path.join(acme, 'acme-2026-10.pdf'));
    expect(await deliverAfresh(acme)).toBe(1);
    expect(captured.out.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^.*acme: not delivered: the packet does not verify \(.*acme-2026-10\.pdf.*\): nothing sent$/,
      ),
    ]);
    expect([hook.requests.length, smtp.mails.length]).toEqual([0, 0]);

    // The period: its portfolio.json still counts acme's packet, which no longer verifies: the portfolio is not sent either.
    expect(await cli('deliver', path.join(out, '2026-10'), '--config', cfg, '--force')).toBe(1);
    const refused = captured.out
      .trimEnd()
      .split('\n')
      .filter((l) => l.includes('not delivered'));
    expect(refused).toEqual([
      expect.stringMatching(/acme: not delivered: the packet does not verify \(.*acme-2026-10\.pdf.*\): nothing sent$/),
      expect.stringMatching(
        /2026-10: portfolio not delivered: the portfolio does not check out \(portfolio\.json is not what the period's packets give now \(`s3-evidence portfolio` rebuilds it\)\): nothing sent$/,
      ),
    ]);
    // globex and northwind, which verify, are sent (once to the hook each); acme's e-mail is not.
    expect([hook.requests.length, smtp.mails.length]).toEqual([2, 0]);
  }, 120_000);

  it("another tenant's packet copied over a tenant's folder is not sent as that tenant's: named, exit 1", async () => {
    const out = path.join(ws.root, 'out-copied-over');
    cpSync(ws.out, out, { recursive: true });
    const acme = path.join(out, '2026-10', 'acme');
    rmSync(acme, { recursive: true });
    cpSync(path.join(out, '2026-10', 'northwind'), acme, { recursive: true });
    rmSync(path.join(acme, 'deliveries.json'), { force: true });
    expect(await deliverAfresh(acme)).toBe(1);
    expect(captured.out.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /acme: not delivered: the packet in 2026-10\/acme\/ is tenant northwind's for 2026-10, not tenant acme's for 2026-10: nothing sent$/,
      ),
    ]);
    expect([hook.requests.length, smtp.mails.length]).toEqual([0, 0]);
  }, 120_000);

  it('run --quiet still prints a failed delivery, and nothing for deliveries that arrived', async () => {
    hook.script = [{ status: 502, body: 'bad gateway' }];
    const out = path.join(ws.root, 'out-quiet');
    expect(
      await cli('run', '--config', cfg, '--period', '2026-10', '--tenant', 'northwind', '--out', out, '--quiet'),
    ).toBe(0);
    expect(captured.out).toContain(
      'northwind 2026-10: DELIVERY FAILED to ops-hook (webhook) after 2 attempt(s): HTTP 502: bad gateway',
    );
    hook.script = [];
    expect(await cli('deliver', path.join(out, '2026-10'), '--config', cfg)).toBe(0);
    const quiet = path.join(ws.root, 'out-quiet-ok');
    expect(
      await cli('run', '--config', cfg, '--period', '2026-10', '--tenant', 'northwind', '--out', quiet, '--quiet'),
    ).toBe(0);
    expect(captured.out).not.toContain('deliver');
  }, 120_000);

  it('deliver without `deliveries` in the configuration, or on a folder without packets, is a usage error', async () => {
    expect(
      await cli('deliver', path.join(ws.out, '2026-10'), '--config', path.join(ws.root, 'config', 'missing.yaml')),
    ).toBe(2);
    expect(await cli('deliver', ws.root, '--config', cfg)).toBe(2);
    expect(captured.err).toContain('no packet folder (holding packet.json) found in');
  });
});
