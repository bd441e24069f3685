import type { S3Client } from '@aws-sdk/client-s3';
import { localTree } from './local.js';
import { s3Tree } from './s3.js';
import type { TreeReader } from './tree.js';

export { localTree } from './local.js';
export { s3Tree, parseS3Url } from './s3.js';
export { TreeNotFoundError, isTreeNotFound, type TreeEntry, type TreeReader } from './tree.js';

/** An s3:// location needs a client; anything else is a local folder. */
export function treeFor(location: string, s3?: S3Client): TreeReader {
  if (location.startsWith('s3://')) {
    if (!s3) throw new Error(`reading ${location} needs an S3 client`);
    return s3Tree(s3, location);
  }
  return localTree(location);
}
