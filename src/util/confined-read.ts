import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

/**
 * Reads files that someone else wrote (offline exports, delivered trees, registers, earlier packets)
 * without letting them reach anything else: the file must resolve inside its root after every
 * symbolic link is followed, must be a regular file, must not exceed a size limit, and must answer
 * within a timeout. Anything else is refused with a reason the caller records as evidence.
 */

/** Files read whole into memory (CLI outputs, manifests, registers, packets): 256 MiB. */
export const WHOLE_FILE_MAX_BYTES = 256 * 1024 * 1024;
/** Files streamed (inventory data, logs): 16 GiB; memory stays bounded, this bounds the time. */
const STREAMED_FILE_MAX_BYTES = 16 * 1024 * 1024 * 1024;
/** A read (or, for a stream, a wait between two chunks) that takes longer is abandoned. */
const READ_TIMEOUT_MS = 30_000;

export interface ReadLimits {
  maxBytes?: number;
  timeoutMs?: number;
}

export type RefusalCode = 'OutsideRoot' | 'NotARegularFile' | 'TooLarge' | 'ReadTimeout' | 'ChangedWhileRead';

/** A file the tool would not read, and why. `file` is the path as the caller named it. */
export class RefusedReadError extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'RefusedReadError';
  }
}

export function isRefusedRead(err: unknown): err is RefusedReadError {
  return err instanceof RefusedReadError;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/** What a non-regular file is, in words. */
function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * The real path of `target` (a path as the caller names it: absolute, or relative to the working
 * folder, like `root`) if it stays inside `root` once every symbolic link is resolved; undefined when
 * nothing is there. Refuses what leaves the root.
 */
export async function confinedPath(root: string, target: string): Promise<string | undefined> {
  const absRoot = path.resolve(root);
  const abs = path.resolve(target);
  if (!isInside(absRoot, abs)) throw new RefusedReadError('OutsideRoot', target, `is outside ${absRoot}`);
  let realRoot: string;
  try {
    realRoot = await realpath(absRoot);
  } catch (err) {
    if (errCode(err) === 'ENOENT' || errCode(err) === 'ENOTDIR') return undefined;
    throw err;
  }
  let real: string;
  try {
    real = await realpath(abs);
  } catch (err) {
    const code = errCode(err);
    if (code === 'ELOOP') throw new RefusedReadError('OutsideRoot', target, 'is a loop of symbolic links');
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    const link = await lstat(abs).catch(() => undefined);
    if (link?.isSymbolicLink()) throw new RefusedReadError('OutsideRoot', target, 'is a symbolic link to nothing');
    return undefined;
  }
  if (!isInside(realRoot, real))
    throw new RefusedReadError('OutsideRoot', target, `is a symbolic link that leads outside ${absRoot}`);
  return real;
}

/** lstat of a real path, refusing anything but a regular file within `maxBytes`. */
async function regularFile(real: string, target: string, maxBytes: number): Promise<Stats> {
  const info = await lstat(real);
  if (!info.isFile()) throw new RefusedReadError('NotARegularFile', target, `is ${kindOf(info)}, not a regular file`);
  if (info.size > maxBytes)
    throw new RefusedReadError('TooLarge', target, `is ${info.size} bytes, over the ${maxBytes}-byte limit`);
  return info;
}

// O_NONBLOCK: opening a FIFO that was swapped in after the check returns at once instead of waiting for a writer.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** Opens the checked file and makes sure it is still the file that was checked. */
async function openChecked(real: string, target: string, checked: Stats): Promise<FileHandle> {
  const handle = await open(real, OPEN_FLAGS);
  try {
    const now = await handle.stat();
    if (!now.isFile() || now.ino !== checked.ino || now.dev !== checked.dev) {
      throw new RefusedReadError('ChangedWhileRead', target, 'was replaced while it was being opened');
    }
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The bytes of `target` inside `root`, or undefined when it does not exist. Refuses (RefusedReadError)
 * a path or link leaving the root, a FIFO, socket, device or folder, a file over the limit, and a
 * read that does not finish within the timeout.
 */
export async function readConfinedFile(
  root: string,
  target: string,
  limits: ReadLimits = {},
): Promise<Buffer | undefined> {
  const maxBytes = limits.maxBytes ?? WHOLE_FILE_MAX_BYTES;
  const timeoutMs = limits.timeoutMs ?? READ_TIMEOUT_MS;
  const timedOut = () => new RefusedReadError('ReadTimeout', target, `could not be read within ${timeoutMs} ms`);
  const read = async (): Promise<Buffer | undefined> => {
    const real = await confinedPath(root, target);
    if (real === undefined) return undefined;
    let info: Stats;
    try {
      info = await regularFile(real, target, maxBytes);
    } catch (err) {
      if (errCode(err) === 'ENOENT') return undefined;
      throw err;
    }
    const handle = await openChecked(real, target, info);
    try {
      // One byte more than stat promised: a file that grows while being read is caught, not cut short.
      const capacity = info.size + 1;
      const buffer = Buffer.alloc(capacity);
      let filled = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, filled, capacity - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
        if (filled === capacity) throw new RefusedReadError('ChangedWhileRead', target, 'grew while it was being read');
      }
      return buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  };
  return withTimeout(read(), timeoutMs, timedOut);
}

/** readConfinedFile as UTF-8 text. */
export async function readConfinedText(
  root: string,
  target: string,
  limits: ReadLimits = {},
): Promise<string | undefined> {
  return (await readConfinedFile(root, target, limits))?.toString('utf8');
}

/**
 * `target` inside `root` opened for reading at any offset (a Parquet file's footer comes first),
 * with its size: refusals as readConfinedFile, ENOENT rejects as fs does. The caller closes it.
 */
export async function openConfinedHandle(
  root: string,
  target: string,
  limits: ReadLimits = {},
): Promise<{ handle: FileHandle; info: Stats }> {
  const maxBytes = limits.maxBytes ?? STREAMED_FILE_MAX_BYTES;
  const timeoutMs = limits.timeoutMs ?? READ_TIMEOUT_MS;
  const opened = async (): Promise<{ handle: FileHandle; info: Stats }> => {
    const real = await confinedPath(root, target);
    if (real === undefined) throw Object.assign(new Error(`ENOENT: no such file ${target}`), { code: 'ENOENT' });
    const info = await regularFile(real, target, maxBytes);
    return { handle: await openChecked(real, target, info), info };
  };
  return withTimeout(
    opened(),
    timeoutMs,
    () => new RefusedReadError('ReadTimeout', target, `could not be opened within ${timeoutMs} ms`),
  );
}

/**
 * A stream of `target` inside `root` (refusals as readConfinedFile; ENOENT rejects as fs does). The
 * stream fails with a RefusedReadError when no bytes arrive for `timeoutMs` or the file outgrows `maxBytes`.
 */
export async function openConfinedStream(root: string, target: string, limits: ReadLimits = {}): Promise<Readable> {
  const maxBytes = limits.maxBytes ?? STREAMED_FILE_MAX_BYTES;
  const timeoutMs = limits.timeoutMs ?? READ_TIMEOUT_MS;
  const { handle } = await openConfinedHandle(root, target, limits);
  const source = handle.createReadStream({ highWaterMark: 1 << 20 });
  let total = 0;
  let timer: NodeJS.Timeout | undefined;
  // The clock runs only while the reader is waiting for bytes, so a slow consumer is never a timeout.
  const out = new Readable({
    highWaterMark: 1 << 20,
    read() {
      clearTimeout(timer);
      timer = setTimeout(
        () => out.destroy(new RefusedReadError('ReadTimeout', target, `sent no data for ${timeoutMs} ms`)),
        timeoutMs,
      );
      timer.unref();
      source.resume();
    },
    destroy(err, callback) {
      clearTimeout(timer);
      source.destroy();
      callback(err);
    },
  });
  source.on('data', (chunk: Buffer | string) => {
    clearTimeout(timer);
    total += chunk.length;
    if (total > maxBytes)
      out.destroy(new RefusedReadError('TooLarge', target, `grew past the ${maxBytes}-byte limit while being read`));
    else if (!out.push(chunk)) source.pause();
  });
  source.once('end', () => {
    clearTimeout(timer);
    out.push(null);
  });
  source.once('error', (err) => out.destroy(err));
  source.pause();
  return out;
}
