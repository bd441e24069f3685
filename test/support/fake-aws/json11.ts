/** The AWS JSON 1.1 protocol shared by CloudTrail and Config: `X-Amz-Target: <Service>.<Operation>`, JSON in and out. */
import type { Identified, WireAnswer, WireRequest } from './wire.js';

const JSON_TYPE = 'application/x-amz-json-1.1';

export function parseJsonBody(req: WireRequest): Record<string, unknown> {
  try {
    return JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The operation after the last dot of X-Amz-Target (e.g. CloudTrail_20131101.DescribeTrails). */
export function identifyJson11(req: WireRequest): Identified {
  const target = String(req.headers['x-amz-target'] ?? '');
  return { operation: target.slice(target.lastIndexOf('.') + 1) || 'Unknown' };
}

export function jsonError(req: WireRequest, status: number, type: string, message: string): WireAnswer {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, 'x-amzn-requestid': req.requestId },
    body: JSON.stringify({ __type: type, message }),
  };
}

export function jsonOk(req: WireRequest, value: unknown): WireAnswer {
  return {
    status: 200,
    headers: { 'content-type': JSON_TYPE, 'x-amzn-requestid': req.requestId },
    body: JSON.stringify(value),
  };
}

export function jsonThrottle(req: WireRequest): WireAnswer {
  return jsonError(req, 400, 'ThrottlingException', 'Rate exceeded');
}
