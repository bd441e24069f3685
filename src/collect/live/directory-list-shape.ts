/**
 * The SDK reads a ListDirectoryBuckets answer whose `<Buckets>` element holds anything but `<Bucket>`
 * elements (text, another element) as an empty list, so a garbled answer would read as "no directory
 * buckets in this region". This check reads the answer's body as it came and refuses such an answer,
 * so it is recorded as unreadable evidence, never as none.
 */
import type { DeserializeHandler, DeserializeMiddleware, HandlerExecutionContext, Pluggable } from '@aws-sdk/types';

const COMMAND = 'ListDirectoryBucketsCommand';

interface RawResponse {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

function isRawResponse(r: unknown): r is RawResponse {
  return typeof r === 'object' && r !== null && typeof (r as RawResponse).statusCode === 'number';
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * Why a ListDirectoryBuckets body's list cannot be read, or undefined when it can: its `<Buckets>`
 * is empty or holds only `<Bucket>` elements. A body without `<Buckets>` is left to the answer's
 * documented shape (src/evidence/answers.ts), which requires the list.
 */
export function directoryListProblem(xml: string): string | undefined {
  const list = /<Buckets(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/Buckets>)/.exec(xml);
  if (!list) return undefined;
  const rest = (list[1] ?? '').replace(/<Bucket(?:\s[^>]*)?>[\s\S]*?<\/Bucket>/g, '');
  const other = rest.trim();
  return other === '' ? undefined : `Buckets: expected only Bucket elements, got ${JSON.stringify(other.slice(0, 40))}`;
}

function checkDirectoryList<I extends object, O extends object>(): DeserializeMiddleware<I, O> {
  return (next: DeserializeHandler<I, O>, context: HandlerExecutionContext) => async (args) => {
    const result = await next(args);
    const response = result.response;
    if (context.commandName !== COMMAND || !isRawResponse(response) || response.statusCode >= 300) return result;
    const bytes = await bodyBytes(response.body);
    response.body = bytes; // the SDK's deserializer reads a byte array as it reads the stream
    const problem = directoryListProblem(bytes.toString('utf8'));
    if (problem === undefined) return result;
    const requestId = response.headers['x-amz-request-id'];
    throw Object.assign(new Error(`ListDirectoryBuckets answer does not have the documented shape: ${problem}`), {
      name: 'UnreadableEvidence',
      $metadata: { httpStatusCode: response.statusCode, ...(requestId ? { requestId } : {}) },
    });
  };
}

/** Add to the directory-bucket S3 client: inside the deserializer, so it sees the body first. */
export function directoryListShapeCheck<I extends object, O extends object>(): Pluggable<I, O> {
  return {
    applyToStack(stack) {
      stack.add(checkDirectoryList<I, O>(), { step: 'deserialize', priority: 'low', name: 'directoryListShapeCheck' });
    },
  };
}
