/** A tree of objects AWS delivered into a bucket, read from S3 or from a local copy of it. */
import type { ReadLimits } from '../../util/confined-read.js';

export interface TreeEntry {
  /** Relative to the tree root, '/' separated. */
  path: string;
  size: number;
}

export interface TreeReader {
  /** "s3://bucket/prefix/" or the absolute local folder. */
  readonly description: string;
  /** Immediate "folder" names under `prefix` (treated as a folder: '' or ending in '/'), sorted. */
  listChildren(prefix: string): Promise<string[]>;
  /** Every object whose path starts with `prefix`, recursively, sorted by path (byte order). */
  list(prefix: string): AsyncIterable<TreeEntry>;
  /** Streaming read; never loads the whole object. Missing paths reject with a TreeNotFoundError. */
  open(path: string): Promise<NodeJS.ReadableStream>;
  /** s3:// URL or absolute local path of `path`, for evidence. */
  locate(path: string): string;
  /** A local folder's root and limits, so a worker thread can open the same tree itself. */
  readonly local?: { root: string; limits: ReadLimits };
}

/** A path that does not exist in the tree. `code` is what the underlying store said. */
export class TreeNotFoundError extends Error {
  readonly code: 'ENOENT' | 'NoSuchKey';
  readonly location: string;

  constructor(code: 'ENOENT' | 'NoSuchKey', location: string) {
    super(`${code}: ${location} does not exist`);
    this.name = 'TreeNotFoundError';
    this.code = code;
    this.location = location;
  }
}

export function isTreeNotFound(err: unknown): err is TreeNotFoundError {
  return err instanceof TreeNotFoundError;
}

/** '' stays ''; anything else gets exactly one trailing '/'. */
export function asFolderPrefix(prefix: string): string {
  if (prefix === '') return '';
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** Byte (UTF-8) order, which is the order S3 lists keys in. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
