import { unreadableAnswer } from '../../evidence/answers.js';
import { outcomeForErrorCode, type EvidenceError, type EvidenceRecord } from '../../evidence/record.js';

/** What one AWS call gave: the output, or the error as AWS (or the HTTP layer) reported it. */
export type CallResult<T> =
  | { ok: true; output: T; requestId?: string; httpStatus?: number }
  | { ok: false; error: EvidenceError; requestId?: string; cause: unknown };

interface Metadata {
  $metadata?: { requestId?: string; httpStatusCode?: number };
}

/** Runs one SDK call and never throws: a failure becomes data. */
export async function attempt<T extends Metadata>(send: () => Promise<T>): Promise<CallResult<T>> {
  try {
    const output = await send();
    return {
      ok: true,
      output,
      ...(output.$metadata?.requestId ? { requestId: output.$metadata.requestId } : {}),
      ...(output.$metadata?.httpStatusCode ? { httpStatus: output.$metadata.httpStatusCode } : {}),
    };
  } catch (cause) {
    const { error, requestId } = describeAwsError(cause);
    return { ok: false, error, ...(requestId ? { requestId } : {}), cause };
  }
}

/** AWS error code, message, HTTP status and request id of a thrown SDK or network error. */
export function describeAwsError(err: unknown): { error: EvidenceError; requestId?: string } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: string;
    Code?: string;
    code?: string;
    message?: string;
    $metadata?: { requestId?: string; httpStatusCode?: number };
  };
  // Service errors carry the AWS code as `name`; a timeout is named TimeoutError by the HTTP handler;
  // socket errors carry a Node code (ECONNREFUSED, ECONNRESET).
  let code = e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code ?? 'UnknownError';
  // The SDK could not read the answer's body (syntax or structure): the answer came, and is unreadable.
  if (code === 'UnknownError' && /Deserialization error/.test(e.message ?? '')) code = 'DeserializationError';
  if (code === 'Unknown' && e.$metadata?.httpStatusCode) code = `Http${e.$metadata.httpStatusCode}`;
  const message = (e.message ?? String(err)).split('\n')[0]!;
  return {
    error: { code, message, ...(e.$metadata?.httpStatusCode ? { httpStatus: e.$metadata.httpStatusCode } : {}) },
    ...(e.$metadata?.requestId ? { requestId: e.$metadata.requestId } : {}),
  };
}

/**
 * An answer used at once rather than kept (STS) is read through its documented shape all the same:
 * one that does not fit is thrown as an error whose name is the code (UnreadableEvidence), with the
 * answer's request id, so it is reported like any failed call.
 */
export function checkedAnswer<T extends Metadata & object>(operation: string, output: T): T {
  const error = unreadableAnswer(operation, asEvidence(output));
  if (error === undefined) return output;
  throw Object.assign(new Error(error.message), { name: error.code, $metadata: output.$metadata });
}

/** The response as the SDK returned it, as JSON would carry it (Dates become ISO strings), without $metadata. */
export function asEvidence(output: object): unknown {
  const { $metadata: _ignored, ...rest } = output as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest)) as unknown;
}

export interface CallMeta {
  /** "s3:GetBucketEncryption" */
  operation: string;
  parameters: Record<string, string>;
  account: string;
  region: string;
}

export function toRecord<T>(
  meta: CallMeta,
  result: CallResult<unknown>,
  response: () => T,
  collectedAt: string,
): EvidenceRecord<T> {
  const base = {
    ...meta,
    collectedAt,
    source: 'live' as const,
    ...(result.requestId ? { requestId: result.requestId } : {}),
  };
  if (result.ok) return { ...base, outcome: 'ok', response: response() };
  return { ...base, outcome: outcomeForErrorCode(result.error.code), error: result.error };
}
