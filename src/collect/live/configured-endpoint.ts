/**
 * The endpoint the AWS SDK sends S3 calls to when the environment names one: `AWS_ENDPOINT_URL_S3`,
 * else `AWS_ENDPOINT_URL`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true (the SDKs' shared
 * "service-specific endpoints" settings). The SDK applies them itself; the tool needs to know only
 * because such an endpoint is a stand-in (LocalStack, MinIO, a test double) that answers path-style:
 * virtual-hosted addressing would send `bucket.localhost`, a host that does not resolve.
 */
export function s3EndpointFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === 'true') return undefined;
  const named = [env.AWS_ENDPOINT_URL_S3, env.AWS_ENDPOINT_URL].map((v) => v?.trim());
  return named.find((v) => v !== undefined && v !== '');
}
