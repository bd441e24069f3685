/**
 * The entries of a zip archive (an XLSX workbook) as its central directory lists them: name, CRC-32
 * and sizes. Enough to say which parts of two workbooks differ without unpacking either.
 */
export interface ZipEntry {
  crc32: number;
  compressedSize: number;
  size: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_MIN_SIZE = 22;
const MAX_COMMENT = 0xffff;

/** Entry name → CRC and sizes; throws when `zip` is not a readable (non-ZIP64) archive. */
export function zipEntries(zip: Buffer): Map<string, ZipEntry> {
  let eocd = -1;
  for (let at = zip.length - EOCD_MIN_SIZE; at >= Math.max(0, zip.length - EOCD_MIN_SIZE - MAX_COMMENT); at -= 1) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_SIGNATURE)
      throw new Error(`bad central directory entry at byte ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    entries.set(name, {
      crc32: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}
