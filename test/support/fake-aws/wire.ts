import type { Service } from './scenario.js';

/** A request as the fake sees it once the SigV4 credential scope is read. */
export interface WireRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  service: Service;
  region: string;
  accessKeyId: string;
  requestId: string;
  /** Who the access key belongs to; undefined for an unknown key. */
  identity?: { account: string; arn: string };
}

export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface Identified {
  operation: string;
  bucket?: string;
  key?: string;
  params?: Record<string, string>;
}

const CREDENTIAL = /Credential=([^/]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

/** Access key, region and service from `Authorization: AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, ...`. */
export function credentialScope(
  authorization: string | undefined,
): { accessKeyId: string; region: string; service: string } | undefined {
  const m = authorization ? CREDENTIAL.exec(authorization) : null;
  if (!m) return undefined;
  return { accessKeyId: m[1]!, region: m[3]!, service: m[4]! };
}

function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `<name>text</name>` with the text escaped; `undefined` gives nothing. */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Epoch seconds, as JSON 1.1 services (KMS) send timestamps. */
export function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}
