import type { CompressionCodec, Compressors, DataReader, ParquetType } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { readPlain } from 'hyparquet/src/plain.js';

/** How to decode one flat column's chunk: its physical type and codec, and whether it may hold nulls. */
export interface ChunkDecoder {
  type: ParquetType;
  typeLength: number | undefined;
  codec: CompressionCodec;
  optional: boolean;
  compressors: Compressors;
}

/**
 * One flat column of one row group, decoded without a JavaScript value per cell: the decompressed
 * pages stay as bytes, and each row holds where its value's plain encoding sits (a page, or the
 * dictionary page for dictionary-encoded rows), or -1 for null. Booleans are held as -1/0/1.
 * Values become JavaScript values only when `raw` is asked for one row (hyparquet's own
 * decoding), so a row group of 120,000 rows costs a few typed arrays, not 120,000 strings.
 */
export class ColumnChunkValues {
  private readonly views: DataView[];

  constructor(
    private readonly decoder: ChunkDecoder,
    private readonly pages: Uint8Array[],
    private readonly page: Int32Array,
    private readonly at: Int32Array,
    private readonly flags: Int8Array | undefined,
    /** Only some rows' values, decoded (the rest null): a chunk read for a few rows. */
    private readonly only?: Map<number, unknown>,
  ) {
    this.views = pages.map((p) => new DataView(p.buffer, p.byteOffset, p.byteLength));
  }

  isNull(row: number): boolean {
    return this.flags ? this.flags[row]! < 0 : this.at[row]! < 0;
  }

  /** -1 for null, else 0 or 1 (BOOLEAN columns only). */
  flag(row: number): number {
    return this.flags![row]!;
  }

  /** Whether a BYTE_ARRAY value equals `bytes` (false for null). */
  equals(row: number, bytes: Uint8Array): boolean {
    const at = this.at[row]!;
    if (at < 0) return false;
    const view = this.views[this.page[row]!]!;
    if (view.getUint32(at, true) !== bytes.length) return false;
    const page = this.pages[this.page[row]!]!;
    for (let i = 0; i < bytes.length; i++) if (page[at + 4 + i] !== bytes[i]) return false;
    return true;
  }

  /** Where a row's value sits, as one number (page and offset): equal keys hold equal values. */
  where(row: number): number {
    return this.at[row]! < 0 ? -1 : this.page[row]! * 2 ** 32 + this.at[row]!;
  }

  /**
   * An INT64 or INT32 value as a number when it is whole and 0..2^53-1, else -1 (null, negative or
   * larger), without a BigInt.
   */
  nonNegativeSafe(row: number): number {
    const at = this.at[row]!;
    if (at < 0) return -1;
    const view = this.views[this.page[row]!]!;
    if (this.decoder.type === 'INT32') {
      const v = view.getInt32(at, true);
      return v >= 0 ? v : -1;
    }
    const high = view.getInt32(at + 4, true);
    return high >= 0 && high < 0x200000 ? high * 2 ** 32 + view.getUint32(at, true) : -1;
  }

  /** The row's value as hyparquet's plain decoding gives it (before logical types), or null. */
  raw(row: number): unknown {
    if (this.only) return this.only.get(row) ?? null;
    if (this.flags) return this.flags[row]! < 0 ? null : this.flags[row] === 1;
    const at = this.at[row]!;
    if (at < 0) return null;
    const reader: DataReader = { view: this.views[this.page[row]!]!, offset: at };
    return readPlain(reader, this.decoder.type, 1, this.decoder.typeLength)[0] as unknown;
  }
}

/**
 * Decodes a column chunk's pages (dictionary, data pages v1 and v2, any codec hyparquet's
 * compressors read) for `rows` rows. Returns undefined when a page uses an encoding this decoder
 * does not take apart itself (the delta and byte-stream-split encodings): the caller then reads the
 * row group with hyparquet's row reader. Throws when the bytes are not what their headers say.
 */
export function decodeColumnChunk(
  bytes: Uint8Array,
  rows: number,
  decoder: ChunkDecoder,
  wanted?: Uint8Array,
): ColumnChunkValues | undefined {
  const isBoolean = decoder.type === 'BOOLEAN';
  // For a few wanted rows (the listed ones), their values are decoded at once and no page is kept.
  const only = wanted && !isBoolean ? new Map<number, unknown>() : undefined;
  const pages: Uint8Array[] = [];
  const page = new Int32Array(isBoolean || only ? 0 : rows);
  const at = new Int32Array(isBoolean || only ? 0 : rows);
  const keep = (p: Uint8Array): number => {
    pages.push(p);
    return pages.length - 1;
  };
  // A copy, so that a kept value does not hold its whole page.
  const valueAt = (p: Uint8Array, offset: number): unknown => {
    const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const v: unknown = readPlain({ view, offset }, decoder.type, 1, decoder.typeLength)[0];
    return v instanceof Uint8Array ? v.slice() : v;
  };
  let dictionaryBytes: Uint8Array | undefined;
  const flags = isBoolean ? new Int8Array(rows) : undefined;
  let dictionaryPage = -1;
  let dictionary: Int32Array | undefined;

  const reader: DataReader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  let row = 0;
  while (row < rows) {
    if (reader.offset >= bytes.length) throw new Error(`the column chunk ends after ${row} of ${rows} rows`);
    const header = parquetHeader(reader);
    const start = reader.offset;
    const end = start + header.compressed_page_size;
    if (!(header.compressed_page_size >= 0) || end > bytes.length) {
      throw new Error('a page runs past the end of its column chunk');
    }
    reader.offset = end;
    const compressed = bytes.subarray(start, end);

    if (header.type === 'DICTIONARY_PAGE') {
      const count = header.dictionary_page_header?.num_values ?? 0;
      const values = decompressPage(compressed, header.uncompressed_page_size, decoder.codec, decoder.compressors);
      dictionary = plainOffsets(values, decoder, count);
      dictionaryBytes = values;
      dictionaryPage = only ? -1 : keep(values);
      continue;
    }
    if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') continue; // index pages

    let count: number;
    let encoding: string;
    let present: Uint8Array | undefined;
    let values: Uint8Array;
    let valuesReader: DataReader;
    if (header.type === 'DATA_PAGE') {
      const h = header.data_page_header;
      if (!h) throw new Error('a data page has no data page header');
      count = h.num_values;
      encoding = h.encoding;
      if (only && !anyWanted(wanted!, row, count)) {
        if (row + count > rows) throw new Error(`the pages hold more than the row group's ${rows} rows`);
        row += count;
        continue;
      }
      values = decompressPage(compressed, header.uncompressed_page_size, decoder.codec, decoder.compressors);
      valuesReader = { view: new DataView(values.buffer, values.byteOffset, values.byteLength), offset: 0 };
      if (decoder.optional) {
        present = new Uint8Array(count);
        readRleBitPackedHybrid(valuesReader, 1, present);
      }
    } else {
      const h = header.data_page_header_v2;
      if (!h) throw new Error('a data page v2 has no header');
      count = h.num_values;
      encoding = h.encoding;
      if (h.repetition_levels_byte_length !== 0) return undefined;
      const levelsLength = h.definition_levels_byte_length;
      if (decoder.optional) {
        present = new Uint8Array(count);
        const levels: DataReader = {
          view: new DataView(bytes.buffer, bytes.byteOffset + start, levelsLength),
          offset: 0,
        };
        readRleBitPackedHybrid(levels, 1, present, levelsLength);
      }
      const rest = compressed.subarray(levelsLength);
      const size = header.uncompressed_page_size - levelsLength;
      values =
        h.is_compressed !== false && size > 0 ? decompressPage(rest, size, decoder.codec, decoder.compressors) : rest;
      valuesReader = { view: new DataView(values.buffer, values.byteOffset, values.byteLength), offset: 0 };
    }
    if (row + count > rows) throw new Error(`the pages hold more than the row group's ${rows} rows`);
    let nonNull = count;
    if (present) for (let i = 0; i < count; i++) if (present[i] !== 1) nonNull--;

    if (encoding === 'PLAIN' && !isBoolean) {
      const offsets = plainOffsets(values, decoder, nonNull, valuesReader.offset);
      const pageIndex = only ? -1 : keep(values);
      let k = 0;
      for (let i = 0; i < count; i++, row++) {
        if (present && present[i] !== 1) {
          if (!only) at[row] = -1;
          continue;
        }
        const offset = offsets[k++]!;
        if (only) {
          if (wanted![row] === 1) only.set(row, valueAt(values, offset));
          continue;
        }
        page[row] = pageIndex;
        at[row] = offset;
      }
    } else if (isBoolean && (encoding === 'PLAIN' || encoding === 'RLE')) {
      const bits = new Uint8Array(nonNull);
      if (encoding === 'RLE') readRleBitPackedHybrid(valuesReader, 1, bits);
      else {
        if (valuesReader.offset + Math.ceil(nonNull / 8) > values.length)
          throw new Error('a boolean page is too short');
        for (let i = 0; i < nonNull; i++) bits[i] = (values[valuesReader.offset + (i >> 3)]! >> (i & 7)) & 1;
      }
      let k = 0;
      for (let i = 0; i < count; i++, row++) flags![row] = present && present[i] !== 1 ? -1 : bits[k++]!;
    } else if (!isBoolean && (encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY')) {
      // A writer that leaves the dictionary page's offset out: hyparquet's row reader finds it.
      if (!dictionary) return undefined;
      const indices = new Int32Array(nonNull);
      const bitWidth = values[valuesReader.offset++] ?? 0;
      if (bitWidth > 32) throw new Error(`a dictionary page's bit width is ${bitWidth}`);
      if (bitWidth > 0) readRleBitPackedHybrid(valuesReader, bitWidth, indices, values.length - valuesReader.offset);
      let k = 0;
      for (let i = 0; i < count; i++, row++) {
        if (present && present[i] !== 1) {
          if (!only) at[row] = -1;
          continue;
        }
        const index = indices[k++]!;
        if (index < 0 || index >= dictionary.length) {
          throw new Error(`dictionary index ${index} is outside its ${dictionary.length} values`);
        }
        if (only) {
          if (wanted![row] === 1) only.set(row, valueAt(dictionaryBytes!, dictionary[index]!));
          continue;
        }
        page[row] = dictionaryPage;
        at[row] = dictionary[index]!;
      }
    } else {
      return undefined;
    }
  }
  return new ColumnChunkValues(decoder, pages, page, at, flags, only);
}

function anyWanted(wanted: Uint8Array, from: number, count: number): boolean {
  const end = Math.min(wanted.length, from + count);
  for (let i = from; i < end; i++) if (wanted[i] === 1) return true;
  return false;
}

/** Where each of `count` plain-encoded values starts in `bytes` (from `offset`); throws if they do not fit. */
function plainOffsets(bytes: Uint8Array, decoder: ChunkDecoder, count: number, offset = 0): Int32Array {
  const offsets = new Int32Array(count);
  if (decoder.type === 'BYTE_ARRAY') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) {
      if (offset + 4 > bytes.length) throw new Error(`a page holds ${i} of its ${count} values`);
      offsets[i] = offset;
      offset += 4 + view.getUint32(offset, true);
    }
    if (offset > bytes.length) throw new Error(`a page's last value runs past its end`);
    return offsets;
  }
  const width = fixedWidth(decoder);
  if (offset + width * count > bytes.length) throw new Error(`a page holds fewer than its ${count} values`);
  for (let i = 0; i < count; i++) offsets[i] = offset + i * width;
  return offsets;
}

function fixedWidth(decoder: ChunkDecoder): number {
  switch (decoder.type) {
    case 'INT32':
    case 'FLOAT':
      return 4;
    case 'INT64':
    case 'DOUBLE':
      return 8;
    case 'INT96':
      return 12;
    case 'FIXED_LEN_BYTE_ARRAY':
      if (!decoder.typeLength) throw new Error('a fixed-length column has no length');
      return decoder.typeLength;
    default:
      throw new Error(`a ${decoder.type} column is not plain-decodable here`);
  }
}
