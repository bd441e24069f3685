/**
 * POST a JSON body to an https:// URL with node:https. Extra certificate authorities are trusted for
 * this one request (added to Node's bundled roots), never by turning verification off. Errors name the
 * status or the error code only, never the URL (a webhook URL is a secret).
 */
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { DeliveryError } from './attempts.js';

export interface PostOptions {
  /** PEM text of certificate authorities to trust besides Node's bundled ones. */
  ca?: string;
  timeoutMs: number;
  headers?: Record<string, string>;
}

const TLS_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function failure(err: unknown, timeoutMs: number): DeliveryError {
  const e = err as NodeJS.ErrnoException;
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'ABORT_ERR')
    return new DeliveryError(`no answer within ${timeoutMs} ms`, true);
  const code = e.code ?? e.name;
  if (TLS_TRUST_CODES.has(code))
    return new DeliveryError(
      `TLS: the receiver's certificate is not trusted (${code}); set caFile if it is signed by a private CA`,
      false,
    );
  if (TRANSIENT_CODES.has(code)) return new DeliveryError(`connection failed (${code})`, true);
  return new DeliveryError(`request failed (${code})`, false);
}

/** Resolves with the status and the start of the body for a 2xx answer; throws DeliveryError otherwise. */
export function postJson(url: URL, body: string, opts: PostOptions): Promise<{ status: number; body: string }> {
  if (url.protocol !== 'https:') return Promise.reject(new DeliveryError('the webhook URL must be https://', false));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(body)),
          ...opts.headers,
        },
        ...(opts.ca ? { ca: [...rootCertificates, opts.ca] } : {}),
        signal: AbortSignal.timeout(opts.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 4096) chunks.push(c);
          size += c.length;
        });
        res.on('error', (err) => reject(failure(err, opts.timeoutMs)));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 200).replace(/\s+/g, ' ').trim();
          if (status >= 200 && status < 300) resolve({ status, body: text });
          else
            reject(
              new DeliveryError(
                `HTTP ${status}${text ? `: ${text}` : ''}`,
                status === 408 || status === 429 || status >= 500,
              ),
            );
        });
      },
    );
    req.on('error', (err) => reject(failure(err, opts.timeoutMs)));
    req.end(body);
  });
}
