/**
 * exceljs (through JSZip) stamps every zip entry with the wall-clock time. To make the same packet
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

function findEndOfCentralDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - EOCD_MIN_SIZE - MAX_COMMENT);
  for (let at = zip.length - EOCD_MIN_SIZE; at >= lowest; at -= 1) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE) return at;
  }
  throw new Error('zip timestamp: end of central directory not found');
}

/** A copy of `zip` whose every entry carries `instant` as its modification time. */
export function stampZipEntries(zip: Buffer, instant: Date): Buffer {
  const out = Buffer.from(zip);
  const { time, date } = dosDateTime(instant);
  const eocd = findEndOfCentralDirectory(out);
  const entries = out.readUInt16LE(eocd + 10);
  let at = out.readUInt32LE(eocd + 16);
  if (entries === 0xffff || at === 0xffffffff) throw new Error('zip timestamp: ZIP64 archives are not supported');

  for (let i = 0; i < entries; i += 1) {
    if (out.readUInt32LE(at) !== CENTRAL_SIGNATURE)
      throw new Error(`zip timestamp: bad central directory entry at ${at}`);
    out.writeUInt16LE(time, at + 12);
    out.writeUInt16LE(date, at + 14);
    const local = out.readUInt32LE(at + 42);
    if (out.readUInt32LE(local) !== LOCAL_SIGNATURE) throw new Error(`zip timestamp: bad local header at ${local}`);
    out.writeUInt16LE(time, local + 10);
    out.writeUInt16LE(date, local + 12);
    at += 46 + out.readUInt16LE(at + 28) + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  return out;
}
