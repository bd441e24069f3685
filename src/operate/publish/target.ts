/** Where `--publish s3://bucket/prefix/` puts packets: `<prefix><period>/<tenant>/<file>`. */
export interface PublishTarget {
  bucket: string;
  /** Empty, or ending in "/". */
  prefix: string;
}

// S3 general-purpose bucket names: 3-63 characters, lower-case letters, digits, dots and hyphens.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parsePublishUrl(url: string): PublishTarget {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!m || !BUCKET.test(m[1]!)) throw new Error(`--publish "${url}" is not an s3://bucket/prefix/ URL`);
  let prefix = (m[2] ?? '').replace(/\/{2,}/g, '/').replace(/^\//, '');
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  return { bucket: m[1]!, prefix };
}

export function packetKeyPrefix(target: PublishTarget, period: string, tenant: string): string {
  return `${target.prefix}${period}/${tenant}/`;
}
