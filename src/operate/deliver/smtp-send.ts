/**
 * One e-mail through SMTP with nodemailer. TLS is required unless the destination says `tls: none`
 * (a local relay); extra certificate authorities are trusted for this connection only. Errors carry
 * the SMTP reply code and text or nodemailer's error code, never the credentials.
 */
import { rootCertificates } from 'node:tls';
import type { TransportConfig } from 'nodemailer';
import { DeliveryError } from './attempts.js';

export interface SmtpTarget {
  host: string;
  port: number;
  tls: 'starttls' | 'implicit' | 'none';
  auth?: { user: string; pass: string };
  ca?: string;
  timeoutMs: number;
}

export interface Email {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** Stable per packet and destination, so a receiving system can recognise a re-send. */
  messageId: string;
  attachments: Array<{ filename: string; content: Buffer; contentType: string }>;
}

/** Nodemailer's codes for failures worth another attempt: the connection, not the message. */
const TRANSIENT = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']);

function failure(err: unknown): DeliveryError {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  if (typeof e.responseCode === 'number') {
    const reply = (e.response ?? '').replace(/\s+/g, ' ').slice(0, 200);
    // SMTP replies: 4xx is a temporary refusal (try again later), 5xx a permanent one.
    return new DeliveryError(`SMTP ${e.responseCode}: ${reply}`, e.responseCode >= 400 && e.responseCode < 500);
  }
  const code = e.code ?? 'EUNKNOWN';
  if (code === 'ETLS' || /certificate/i.test(e.message ?? ''))
    return new DeliveryError(
      `TLS: the server's certificate is not trusted (${code}); set caFile if it is signed by a private CA`,
      false,
    );
  if (code === 'EAUTH') return new DeliveryError('SMTP authentication refused (EAUTH)', false);
  return new DeliveryError(
    `SMTP ${TRANSIENT.has(code) ? 'connection failed' : 'failed'} (${code})`,
    TRANSIENT.has(code),
  );
}

export async function sendEmail(target: SmtpTarget, email: Email): Promise<{ messageId: string; response: string }> {
  const options: Extract<TransportConfig, { host?: string }> = {
    host: target.host,
    port: target.port,
    secure: target.tls === 'implicit',
    requireTLS: target.tls === 'starttls',
    ignoreTLS: target.tls === 'none',
    ...(target.auth ? { auth: target.auth } : {}),
    tls: { ...(target.ca ? { ca: [...rootCertificates, target.ca] } : {}), minVersion: 'TLSv1.2' },
    connectionTimeout: target.timeoutMs,
    greetingTimeout: target.timeoutMs,
    socketTimeout: target.timeoutMs,
    logger: false,
  };
  // Loaded when a mail is sent: `run` reaches this module for --deliver, and most runs deliver nothing.
  const { createTransport } = await import('nodemailer');
  const transport = createTransport(options);
  try {
    const info = await transport.sendMail({
      from: email.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      messageId: email.messageId,
      attachments: email.attachments,
    });
    return { messageId: info.messageId, response: info.response };
  } catch (err) {
    throw failure(err);
  } finally {
    transport.close();
  }
}
