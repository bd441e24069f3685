import { open } from 'node:fs/promises';

/**
 * exceljs's streaming writer (through archiver) stamps every zip entry with the wall-clock time. To make the same packet
 * give the same bytes, rewrite the DOS time/date of every local and central directory header.
 * Only those fields change: CRCs cover the entry data, not the headers.
 */

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN_SIZE = 22;
const MAX_COMMENT = 0xffff;

/** DOS date/time fields (2-second resolution, no zone), from the instant's UTC fields as JSZip does. */
export function dosDateTime(instant: Date): { time: number; date: number } {
  if (Number.isNaN(instant.getTime())) throw new Error('zip timestamp: invalid date');
  if (instant.getUTCFullYear() < 1980) return { time: 0, date: (1 << 5) | 1 };
  const time = (instant.getUTCHours() << 11) | (instant.getUTCMinutes() << 5) | Math.floor(instant.getUTCSeconds() / 2);
  const date = ((instant.getUTCFullYear() - 1980) << 9) | ((instant.getUTCMonth() + 1) << 5) | instant.getUTCDate();
  return { time, date };
}

function findEndOfCentralDirectory(tail: Buffer): number {
  for (let at = tail.length - EOCD_MIN_SIZE; at >= 0; at -= 1) {
    if (tail.readUInt32LE(at) === EOCD_SIGNATURE) return at;
  }
  throw new Error('zip timestamp: end of central directory not found');
}

/**
 * Stamps the central directory held in `central` (which starts at archive offset `centralStart`)
 * and hands each local header's offset to `stampLocal`.
 */
function stampCentral(
  central: Buffer,
  entries: number,
  time: number,
  date: number,
  stampLocal: (at: number) => void,
): void {
  let at = 0;
  for (let i = 0; i < entries; i += 1) {
    if (central.readUInt32LE(at) !== CENTRAL_SIGNATURE)
      throw new Error(`zip timestamp: bad central directory entry ${i}`);
    central.writeUInt16LE(time, at + 12);
    central.writeUInt16LE(date, at + 14);
    stampLocal(central.readUInt32LE(at + 42));
    at += 46 + central.readUInt16LE(at + 28) + central.readUInt16LE(at + 30) + central.readUInt16LE(at + 32);
  }
}

function directoryOf(tail: Buffer): { entries: number; size: number; offset: number } {
  const eocd = findEndOfCentralDirectory(tail);
  const entries = tail.readUInt16LE(eocd + 10);
  const size = tail.readUInt32LE(eocd + 12);
  const offset = tail.readUInt32LE(eocd + 16);
  if (entries === 0xffff || offset === 0xffffffff) throw new Error('zip timestamp: ZIP64 archives are not supported');
  return { entries, size, offset };
}

/** A copy of `zip` whose every entry carries `instant` as its modification time. */
export function stampZipEntries(zip: Buffer, instant: Date): Buffer {
  const out = Buffer.from(zip);
  const { time, date } = dosDateTime(instant);
  const { entries, size, offset } = directoryOf(out.subarray(Math.max(0, out.length - EOCD_MIN_SIZE - MAX_COMMENT)));
  stampCentral(out.subarray(offset, offset + size), entries, time, date, (local) => {
    if (out.readUInt32LE(local) !== LOCAL_SIGNATURE) throw new Error(`zip timestamp: bad local header at ${local}`);
    out.writeUInt16LE(time, local + 10);
    out.writeUInt16LE(date, local + 12);
  });
  return out;
}

/** The same, in place on a file: only the directory and the local headers are read and written. */
export async function stampZipFile(file: string, instant: Date): Promise<void> {
  const { time, date } = dosDateTime(instant);
  const fh = await open(file, 'r+');
  try {
    const { size: fileSize } = await fh.stat();
    const tailStart = Math.max(0, fileSize - EOCD_MIN_SIZE - MAX_COMMENT);
    const tail = Buffer.alloc(fileSize - tailStart);
    await fh.read(tail, 0, tail.length, tailStart);
    const dir = directoryOf(tail);
    const central = Buffer.alloc(dir.size);
    await fh.read(central, 0, dir.size, dir.offset);
    const locals: number[] = [];
    stampCentral(central, dir.entries, time, date, (local) => locals.push(local));
    const header = Buffer.alloc(14);
    const stamp = Buffer.alloc(4);
    stamp.writeUInt16LE(time, 0);
    stamp.writeUInt16LE(date, 2);
    for (const local of locals) {
      await fh.read(header, 0, 14, local);
      if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new Error(`zip timestamp: bad local header at ${local}`);
      await fh.write(stamp, 0, 4, local + 10);
    }
    await fh.write(central, 0, dir.size, dir.offset);
  } finally {
    await fh.close();
  }
}
