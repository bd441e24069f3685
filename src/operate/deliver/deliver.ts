/**
 * Deliveries: after a packet is sealed (rendered, manifest written, signed and published as asked),
 * its summary goes to each configured destination, and the period's portfolio to those that take it.
 * A delivery reads the packet and never writes into what the manifest lists: its record is
 * deliveries.json beside the manifest (a MANIFEST_COMPANION, like the signature and publish receipt),
 * so a failure changes neither the packet nor whether it verifies.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeliveriesConfig, DeliveryDestination } from '../../config/schema.js';
import type { Packet } from '../../model/packet.js';
import { PACKET_FILE, packetOwner } from '../../packet-folder.js';
import { placementProblem } from '../../workspace/packet-placement.js';
import { sha256 } from '../../util/hash.js';
import { MANIFEST_FILE } from '../../workspace/manifest.js';
import { verifyProblem } from '../../pipeline/verify-folder.js';
import { portfolioDiffers, type Portfolio } from '../portfolio.js';
import { DeliveryError, withAttempts } from './attempts.js';
import { postJson } from './https-post.js';
import {
  emailText,
  jsonPayload,
  portfolioMessage,
  slackPayload,
  teamsPayload,
  tenantMessage,
  type DeliveryMessage,
} from './message.js';
import { readDeliveries, writeDeliveries, type DeliveryRecord } from './record.js';
import { sendEmail } from './smtp-send.js';
import { linkTo, previousLabel, tenantSummary } from './summary.js';
import { readPacket } from '../../pipeline/packet-file.js';

const PORTFOLIO_DELIVERIES_FILE = 'portfolio-deliveries.json';

export interface DeliveryOutcome extends DeliveryRecord {
  /** The tenant whose packet was delivered; absent for the portfolio. */
  tenant?: string;
  period: string;
}

export interface DeliveryContext {
  deliveries: DeliveriesConfig;
  tool: { name: string; version: string };
  /** Where secrets are looked up by name (process.env in the CLI). */
  env: Readonly<Record<string, string | undefined>>;
  /** Re-send to destinations that already have this content. */
  force?: boolean;
  /** The clock of the record (deliveries.json is not part of the packet); the pause between attempts. */
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Why a packet folder does not check out, or nothing when it does (default: verify, as `s3-evidence verify`). */
  checkPacket?: PacketCheck;
  /** Why a period's portfolio is not what its packets give now, or nothing (default: rebuilt and compared). */
  checkPortfolio?: (periodDir: string) => Promise<string | undefined>;
  /** Packet and period folders this process's run has just written (verified by construction): not checked again. */
  madeThisRun?: ReadonlySet<string>;
}

type PacketCheck = (folder: string, opts: { rerender: boolean }) => Promise<string | undefined>;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every secret a destination resolves to, so no message can carry one out. */
function redactor(values: Array<string | undefined>): (text: string) => string {
  const secrets = values.filter((v): v is string => typeof v === 'string' && v.length >= 4);
  // Longest first: a URL and its own path are both secrets.
  secrets.sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((t, s) => t.split(s).join('[redacted]'), text);
}

function secretsOf(d: DeliveryDestination, env: DeliveryContext['env']): string[] {
  if (d.type === 'webhook') {
    const value = env[d.urlEnv];
    if (!value) return [];
    try {
      const u = new URL(value);
      return [value, u.pathname + u.search, u.pathname, u.search.slice(1), u.password, u.username];
    } catch {
      return [value];
    }
  }
  return [d.userEnv ? env[d.userEnv] : undefined, d.passwordEnv ? env[d.passwordEnv] : undefined].filter(
    (v): v is string => v !== undefined,
  );
}

function required(env: DeliveryContext['env'], name: string): string {
  const value = env[name];
  if (!value) throw new DeliveryError(`environment variable ${name} is not set`, false);
  return value;
}

interface Content {
  message: DeliveryMessage;
  /** sha256 of what is delivered (the manifest, or portfolio.json): the same content is delivered once. */
  contentSha256: string;
  attachment?: { filename: string; file: string; contentType: string };
}

async function sendOnce(
  d: DeliveryDestination,
  content: Content,
  ctx: DeliveryContext,
  attachment: Buffer | undefined,
): Promise<string | undefined> {
  const ca = d.caFile ? await readFile(d.caFile, 'utf8') : undefined;
  const key = `${content.contentSha256.slice(0, 32)}.${d.id}`;
  if (d.type === 'webhook') {
    let url: URL;
    try {
      url = new URL(required(ctx.env, d.urlEnv));
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      throw new DeliveryError(`environment variable ${d.urlEnv} does not hold a URL`, false);
    }
    const payload =
      d.format === 'slack'
        ? slackPayload(content.message)
        : d.format === 'teams'
          ? teamsPayload(content.message)
          : jsonPayload(content.message, ctx.tool);
    await postJson(url, JSON.stringify(payload), {
      timeoutMs: ctx.deliveries.timeoutMs,
      ...(ca ? { ca } : {}),
      // Receivers that honour it drop a second copy of the same content (Slack and Teams ignore it).
      headers: { 'idempotency-key': key },
    });
    return undefined;
  }
  const sent = await sendEmail(
    {
      host: d.host,
      port: d.port,
      tls: d.tls,
      ...(d.userEnv && d.passwordEnv
        ? { auth: { user: required(ctx.env, d.userEnv), pass: required(ctx.env, d.passwordEnv) } }
        : {}),
      ...(ca ? { ca } : {}),
      timeoutMs: ctx.deliveries.timeoutMs,
    },
    {
      from: d.from,
      to: d.to,
      subject: content.message.title,
      text: emailText(content.message),
      messageId: `<${key}@s3-evidence>`,
      attachments:
        content.attachment && attachment
          ? [
              {
                filename: content.attachment.filename,
                content: attachment,
                contentType: content.attachment.contentType,
              },
            ]
          : [],
    },
  );
  return sent.messageId;
}

async function deliverTo(
  destinations: DeliveryDestination[],
  content: Content,
  recordFile: string,
  ctx: DeliveryContext,
  who: { tenant?: string; period: string },
): Promise<DeliveryOutcome[]> {
  const now = ctx.now ?? (() => new Date());
  const earlier = await readDeliveries(recordFile);
  const records = new Map(earlier.map((r) => [r.destination, r]));
  const outcomes: DeliveryOutcome[] = [];
  let attachment: Buffer | undefined;
  for (const d of destinations) {
    const before = records.get(d.id);
    if (!ctx.force && before?.state === 'delivered' && before.contentSha256 === content.contentSha256) {
      outcomes.push({ ...before, state: 'already_delivered', ...who });
      continue;
    }
    const redact = redactor(secretsOf(d, ctx.env));
    const result = await withAttempts(
      ctx.deliveries.attempts,
      async () => {
        if (content.attachment && d.type === 'email' && !attachment) {
          try {
            attachment = await readFile(content.attachment.file);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code ?? String(err);
            throw new DeliveryError(`${content.attachment.filename} could not be read (${code})`, false);
          }
        }
        return sendOnce(d, content, ctx, attachment);
      },
      ctx.sleep ?? realSleep,
    );
    const record: DeliveryRecord = {
      destination: d.id,
      type: d.type,
      state: result.error ? 'failed' : 'delivered',
      attempts: result.attempts,
      at: now().toISOString(),
      contentSha256: content.contentSha256,
      ...(result.value ? { messageId: result.value } : {}),
      ...(result.error ? { error: redact(result.error.message) } : {}),
    };
    records.set(d.id, record);
    outcomes.push({ ...record, ...who });
  }
  await writeDeliveries(recordFile, [...records.values()]);
  return outcomes;
}

const wants = (d: DeliveryDestination, what: 'tenants' | 'portfolio') => d.send === what || d.send === 'both';

async function packetOf(folder: string): Promise<Packet | undefined> {
  try {
    return await readPacket(folder);
  } catch {
    return undefined;
  }
}

/**
 * The month before's packet of the same tenant, to say what changed: only one that verifies (its
 * packet.json re-derived from its evidence) and is that tenant's, for that month. Else why not.
 */
async function previousPacket(
  folder: string,
  packet: Packet,
  check: PacketCheck,
): Promise<{ previous?: Packet; previousUnusable?: string }> {
  const month = previousLabel(packet.period.label);
  const previousFolder = path.join(path.dirname(path.dirname(folder)), month, path.basename(folder));
  const previous = await packetOf(previousFolder);
  if (!previous) return {};
  const whose = packetOwner(previous);
  if (whose.tenant !== packet.tenant.id || whose.period !== month)
    return { previousUnusable: `the packet found for ${month} is tenant ${whose.tenant}'s for ${whose.period}` };
  const problem = await check(previousFolder, { rerender: false });
  return problem === undefined
    ? { previous }
    : { previousUnusable: `the ${month} packet does not verify (${problem})` };
}

/** The files a summary links to, as the manifest lists them: the page, the workbook, the OCSF export, the manifest. */
function linkedFiles(manifestText: string): string[] {
  const files = (JSON.parse(manifestText) as { files?: Array<{ path?: unknown }> }).files ?? [];
  const paths = files.map((f) => f.path).filter((p): p is string => typeof p === 'string');
  const pick = (test: (p: string) => boolean) => paths.filter(test).sort();
  return [
    ...pick((p) => !p.includes('/') && p.endsWith('.pdf')),
    ...pick((p) => !p.includes('/') && p.endsWith('.xlsx')),
    ...pick((p) => p.startsWith('exports/ocsf-')),
    MANIFEST_FILE,
  ];
}

/** Delivers one sealed packet folder (<out>/<period>/<tenant>) to every destination that takes its tenant. */
export async function deliverPacket(folder: string, ctx: DeliveryContext): Promise<DeliveryOutcome[]> {
  const packet = await packetOf(folder);
  if (!packet)
    throw new DeliveryError(`${path.join(folder, PACKET_FILE)} could not be read: nothing to deliver`, false);
  const destinations = ctx.deliveries.destinations.filter(
    (d) => wants(d, 'tenants') && (d.tenants === undefined || d.tenants.includes(packet.tenant.id)),
  );
  if (destinations.length === 0) return [];
  // Last month's packet, or another tenant's, copied over this folder's is not sent as this folder's.
  const misplaced = placementProblem(folder, { tenant: packet.tenant.id, period: packet.period.label });
  if (misplaced !== undefined) throw new DeliveryError(`${misplaced}: nothing sent`, false);
  const check = ctx.checkPacket ?? verifyProblem;
  // What goes out (its page attached, its figures in the message) is what verify vouches for: an
  // edited packet.json or a swapped PDF is never sent, even to its own tenant.
  if (!ctx.madeThisRun?.has(folder)) {
    const problem = await check(folder, { rerender: true });
    if (problem !== undefined) throw new DeliveryError(`the packet does not verify (${problem}): nothing sent`, false);
  }
  const manifestText = await readFile(path.join(folder, MANIFEST_FILE), 'utf8');
  const files = linkedFiles(manifestText);
  const previous = await previousPacket(folder, packet, check);
  const summary = tenantSummary({
    packet,
    ...previous,
    files,
    ...(ctx.deliveries.linkBase ? { linkBase: ctx.deliveries.linkBase } : {}),
  });
  const pdf = files.find((f) => f.endsWith('.pdf'));
  return deliverTo(
    destinations,
    {
      message: tenantMessage(summary),
      contentSha256: sha256(manifestText),
      ...(pdf ? { attachment: { filename: pdf, file: path.join(folder, pdf), contentType: 'application/pdf' } } : {}),
    },
    path.join(folder, 'deliveries.json'),
    ctx,
    { tenant: packet.tenant.id, period: packet.period.label },
  );
}

/** Delivers the period's portfolio (<out>/<period>/portfolio.json and .xlsx) to the destinations that take it. */
export async function deliverPortfolio(periodDir: string, ctx: DeliveryContext): Promise<DeliveryOutcome[]> {
  const destinations = ctx.deliveries.destinations.filter((d) => wants(d, 'portfolio'));
  if (destinations.length === 0) return [];
  if (!ctx.madeThisRun?.has(periodDir)) {
    const problem = await (ctx.checkPortfolio ?? ((dir: string) => portfolioDiffers(dir)))(periodDir);
    if (problem !== undefined)
      throw new DeliveryError(`the portfolio does not check out (${problem}): nothing sent`, false);
  }
  const text = await readFile(path.join(periodDir, 'portfolio.json'), 'utf8');
  const portfolio = JSON.parse(text) as Portfolio;
  const links = ['portfolio.xlsx', 'portfolio.json'].map((f) => ({
    label: f,
    href: linkTo(ctx.deliveries.linkBase, `${portfolio.period}/${f}`),
  }));
  return deliverTo(
    destinations,
    {
      message: portfolioMessage(portfolio, links),
      contentSha256: sha256(text),
      attachment: {
        filename: `portfolio-${portfolio.period}.xlsx`,
        file: path.join(periodDir, 'portfolio.xlsx'),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    },
    path.join(periodDir, PORTFOLIO_DELIVERIES_FILE),
    ctx,
    { period: portfolio.period },
  );
}

/** One line per delivery, for the terminal. */
export function deliveryLine(o: DeliveryOutcome): string {
  const what = o.tenant ? `${o.tenant} ${o.period}` : `portfolio ${o.period}`;
  if (o.state === 'delivered')
    return `${what}: delivered to ${o.destination} (${o.type}${o.attempts > 1 ? `, attempt ${o.attempts}` : ''})`;
  if (o.state === 'already_delivered') return `${what}: already delivered to ${o.destination} at ${o.at}`;
  return `${what}: DELIVERY FAILED to ${o.destination} (${o.type}) after ${o.attempts} attempt(s): ${o.error}`;
}
