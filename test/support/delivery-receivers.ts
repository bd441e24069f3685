/**
 * Local receivers for the delivery tests: an HTTPS webhook receiver and an SMTP server (STARTTLS),
 * both presenting the TEST-ONLY certificate in test/fixtures/tls-test-only/, which the client trusts
 * only through a destination's caFile. Each answers as a test scripts it: a status per request, a
 * refusal per recipient, or silence (to provoke timeouts).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer, type SMTPServerAuthentication } from 'smtp-server';

const TLS_DIR = path.resolve('test/fixtures/tls-test-only');
export const TEST_CA_FILE = path.join(TLS_DIR, 'ca.pem');
const key = () => readFileSync(path.join(TLS_DIR, 'server.key'));
const cert = () => readFileSync(path.join(TLS_DIR, 'server.pem'));

interface ReceivedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What the receiver does with request n (from 0): answer with a status and body, or never answer. */
type Reply = { status: number; body?: string } | 'hang';

export interface WebhookReceiver {
  url: (pathAndQuery: string) => string;
  requests: ReceivedRequest[];
  /** Replies in order; after the last, every request gets the last one. Default: 200 "ok". */
  script: Reply[];
  close: () => Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const receiver: WebhookReceiver = { url: () => '', requests, script: [], close: async () => {} };
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer({ key: key(), cert: cert() }, (req, res) => {
    // Counted when the headers arrive, so a client that gives up while sending is still seen.
    const n = requests.length;
    const seen: ReceivedRequest = { path: req.url ?? '', headers: req.headers, body: '' };
    requests.push(seen);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.body = Buffer.concat(chunks).toString('utf8');
      const reply = receiver.script[Math.min(n, receiver.script.length - 1)] ?? { status: 200, body: 'ok' };
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = (p) => `https://localhost:${port}${p}`;
  receiver.close = () =>
    new Promise((resolve) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
  secure: boolean;
  user?: string;
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  /** RCPT TO replies by attempt (0-based, counted over every RCPT): a code refuses, undefined accepts. */
  rcptScript: Array<number | undefined>;
  rcptCount: number;
  close: () => Promise<void>;
}

export async function startSmtpReceiver(auth: { user: string; pass: string }): Promise<SmtpReceiver> {
  const receiver: SmtpReceiver = { port: 0, mails: [], rcptScript: [], rcptCount: 0, close: async () => {} };
  const server = new SMTPServer({
    key: key(),
    cert: cert(),
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(a: SMTPServerAuthentication, _session, callback) {
      if (a.username === auth.user && a.password === auth.pass) callback(null, { user: a.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      const code = receiver.rcptScript[receiver.rcptCount++];
      if (code === undefined) callback();
      else
        callback(
          Object.assign(new Error(code >= 500 ? 'Recipient refused' : 'Try again later'), { responseCode: code }),
        );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        receiver.mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          secure: session.secure,
          ...(typeof session.user === 'string' ? { user: session.user } : {}),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.port = (server.server.address() as AddressInfo).port;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

/**
 * The MIME parts of a message, parsed here (not by nodemailer), the message itself first: headers and
 * the decoded body of each part (empty for a multipart container), so a test can compare an attachment
 * with the file byte for byte.
 */
export function mimeParts(raw: Buffer): Array<{ headers: Record<string, string>; body: Buffer }> {
  const text = raw.toString('latin1');
  const split = (block: string) => {
    const at = block.indexOf('\r\n\r\n');
    const head = at < 0 ? block : block.slice(0, at);
    const body = at < 0 ? '' : block.slice(at + 4);
    const headers: Record<string, string> = {};
    for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { headers, body };
  };
  const walk = (block: string): Array<{ headers: Record<string, string>; body: Buffer }> => {
    const { headers, body } = split(block);
    const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
    if (boundary && /^multipart\//i.test(headers['content-type'] ?? '')) {
      const container = { headers, body: Buffer.alloc(0) };
      return [
        container,
        ...body
          .split(`--${boundary}`)
          .slice(1)
          .filter((p) => !p.startsWith('--'))
          .flatMap((p) => walk(p.replace(/^\r\n/, ''))),
      ];
    }
    const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
    const decoded =
      encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : Buffer.from(body, 'latin1');
    return [{ headers, body: decoded }];
  };
  return walk(text);
}
