/** Error codes with which S3 says "this bucket lives in another region". */
const REDIRECT_CODES: ReadonlySet<string> = new Set([
  'PermanentRedirect',
  'TemporaryRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);

/**
 * The bucket's region named by a redirect error: the x-amz-bucket-region header, the <Region>
 * element (AuthorizationHeaderMalformed) or the regional <Endpoint> host (PermanentRedirect).
 */
export function redirectRegion(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as {
    name?: string;
    Code?: string;
    Region?: string;
    Endpoint?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { headers?: Record<string, string | undefined> };
  };
  const status = e.$metadata?.httpStatusCode;
  const code = e.Code ?? e.name ?? '';
  if (!REDIRECT_CODES.has(code) && status !== 301 && status !== 307) return undefined;
  const header = e.$response?.headers?.['x-amz-bucket-region'];
  if (header) return header;
  if (e.Region) return e.Region;
  const m = e.Endpoint ? /\.s3[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(e.Endpoint) : null;
  return m?.[1];
}
