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
 * Maps one plain-encoded BYTE_ARRAY value (at `offset` of `bytes`, its 4-byte length first) to a
 * number. Called once per dictionary entry, or once per row of a plain-encoded page.
 */
export type TextToNumber = (bytes: Uint8Array, view: DataView, offset: number) => number;

/**
 * Decodes a column chunk into one number per row, written to `out` (`rows` long), without a
 * JavaScript value per cell: a BYTE_ARRAY value through `textToNumber` (each dictionary entry only
 * once), an INT32 or INT64 value as itself when it is whole and 0..2^53-1 and else -1, a BOOLEAN as
 * 0 or 1, and null as `nullValue`. Returns false when a page uses an encoding this decoder does not
 * take apart itself (the delta and byte-stream-split encodings), or the column is of another type:
 * the caller then reads the row group with hyparquet's row reader. Throws when the bytes are not
 * what their headers say.
 */
export function decodeColumnNumbers(
  bytes: Uint8Array,
  rows: number,
  decoder: ChunkDecoder,
  textToNumber: TextToNumber,
  nullValue: number,
  out: Float64Array,
): boolean {
  const type = decoder.type;
  if (type !== 'BOOLEAN' && type !== 'BYTE_ARRAY' && type !== 'INT32' && type !== 'INT64') return false;
  let dictionary: Float64Array | undefined;
  return walkPages(bytes, rows, decoder, {
    dictionary(values, offsets) {
      if (type === 'BOOLEAN') throw new Error('a BOOLEAN column has a dictionary page');
      dictionary = plainNumbers(values, offsets.length, 0, type, textToNumber, undefined, nullValue, 0);
    },
    page({ first, count, encoding, present, nonNull, values, offset }) {
      if (type === 'BOOLEAN') {
        const bits = booleanBits(values, offset, encoding, nonNull);
        if (!bits) return false;
        for (let i = 0, k = 0, row = first; i < count; i++, row++) {
          out[row] = present && present[i] !== 1 ? nullValue : bits[k++]!;
        }
        return true;
      }
      if (encoding === 'PLAIN') {
        plainNumbers(values, count, offset, type, textToNumber, present, nullValue, first, out);
        return true;
      }
      const indices = dictionaryIndices(values, offset, encoding, nonNull, dictionary?.length);
      if (!indices || !dictionary) return false;
      for (let i = 0, k = 0, row = first; i < count; i++, row++) {
        out[row] = present && present[i] !== 1 ? nullValue : dictionary[indices[k++]!]!;
      }
      return true;
    },
  });
}

/**
 * `count` plain-encoded values (from `offset`; rows whose `present` is not 1 are null and hold no
 * value) as numbers, into `out` from `first` (a new array when none is given); throws if they do
 * not fit in `bytes`.
 */
function plainNumbers(
  bytes: Uint8Array,
  count: number,
  offset: number,
  type: 'BYTE_ARRAY' | 'INT32' | 'INT64',
  textToNumber: TextToNumber,
  present: Uint8Array | undefined,
  nullValue: number,
  first: number,
  out: Float64Array = new Float64Array(count),
): Float64Array {
  const view = viewOf(bytes);
  if (type === 'BYTE_ARRAY') {
    for (let i = 0, row = first; i < count; i++, row++) {
      if (present && present[i] !== 1) {
        out[row] = nullValue;
        continue;
      }
      const end = checkedValueEnd(bytes, view, offset, 0);
      out[row] = textToNumber(bytes, view, offset);
      offset = end;
    }
    return out;
  }
  const width = type === 'INT32' ? 4 : 8;
  let nonNull = count;
  if (present) for (let i = 0; i < count; i++) if (present[i] !== 1) nonNull--;
  if (offset + width * nonNull > bytes.length) throw new Error('a page holds fewer values than its header says');
  for (let i = 0, row = first; i < count; i++, row++) {
    if (present && present[i] !== 1) {
      out[row] = nullValue;
      continue;
    }
    if (width === 4) {
      const v = view.getInt32(offset, true);
      out[row] = v >= 0 ? v : -1;
    } else {
      const high = view.getInt32(offset + 4, true);
      out[row] = high >= 0 && high < 0x200000 ? high * 2 ** 32 + view.getUint32(offset, true) : -1;
    }
    offset += width;
  }
  return out;
}

/**
 * Decodes only the wanted rows' values of a column chunk (`wanted[row] === 1`), as hyparquet's
 * plain decoding gives them (before logical types); a page without a wanted row is not even
 * decompressed. Null values are left out of the map. Undefined as for decodeColumnNumbers.
 */
export function decodeWantedValues(
  bytes: Uint8Array,
  rows: number,
  decoder: ChunkDecoder,
  wanted: Uint8Array,
): Map<number, unknown> | undefined {
  const isBoolean = decoder.type === 'BOOLEAN';
  const found = new Map<number, unknown>();
  // A copy, so that a kept value does not hold its whole page.
  const valueAt = (values: Uint8Array, offset: number): unknown => {
    const v: unknown = readPlain({ view: viewOf(values), offset }, decoder.type, 1, decoder.typeLength)[0];
    return v instanceof Uint8Array ? v.slice() : v;
  };
  let dictionary: { values: Uint8Array; offsets: Int32Array } | undefined;
  const decoded = walkPages(bytes, rows, decoder, {
    skip: (first, count) => !anyWanted(wanted, first, count),
    dictionary(values, offsets) {
      dictionary = { values, offsets };
    },
    page({ first, count, encoding, present, nonNull, values, offset }) {
      if (isBoolean) {
        const bits = booleanBits(values, offset, encoding, nonNull);
        if (!bits) return false;
        for (let i = 0, k = 0, row = first; i < count; i++, row++) {
          if (present && present[i] !== 1) continue;
          const bit = bits[k++]!;
          if (wanted[row] === 1) found.set(row, bit === 1);
        }
        return true;
      }
      if (encoding === 'PLAIN') {
        const view = viewOf(values);
        const width = decoder.type === 'BYTE_ARRAY' ? 0 : fixedWidth(decoder);
        for (let i = 0, row = first; i < count; i++, row++) {
          if (present && present[i] !== 1) continue;
          const end = checkedValueEnd(values, view, offset, width);
          if (wanted[row] === 1) found.set(row, valueAt(values, offset));
          offset = end;
        }
        return true;
      }
      const indices = dictionaryIndices(values, offset, encoding, nonNull, dictionary?.offsets.length);
      if (!indices || !dictionary) return false;
      for (let i = 0, k = 0, row = first; i < count; i++, row++) {
        if (present && present[i] !== 1) continue;
        const index = indices[k++]!;
        if (wanted[row] === 1) found.set(row, valueAt(dictionary.values, dictionary.offsets[index]!));
      }
      return true;
    },
  });
  return decoded ? found : undefined;
}

/** One data page, decompressed: its rows, which of them are not null, and where its values start. */
interface DataPage {
  first: number;
  count: number;
  encoding: string;
  /** Definition levels (1 = a value), absent for a required column. */
  present: Uint8Array | undefined;
  nonNull: number;
  values: Uint8Array;
  offset: number;
}

/**
 * Walks a column chunk's pages (dictionary, data pages v1 and v2, any codec hyparquet's
 * compressors read) for `rows` rows. `page` returns false for an encoding it does not take apart;
 * the walk then returns false. A page `skip` declines is counted but not decompressed.
 */
function walkPages(
  bytes: Uint8Array,
  rows: number,
  decoder: ChunkDecoder,
  on: {
    skip?: (first: number, count: number) => boolean;
    dictionary: (values: Uint8Array, offsets: Int32Array) => void;
    page: (page: DataPage) => boolean;
  },
): boolean {
  const reader: DataReader = { view: viewOf(bytes), offset: 0 };
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
      on.dictionary(values, plainOffsets(values, decoder, count));
      continue;
    }
    if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') continue; // index pages

    let count: number;
    let encoding: string;
    let present: Uint8Array | undefined;
    let values: Uint8Array;
    let offset = 0;
    if (header.type === 'DATA_PAGE') {
      const h = header.data_page_header;
      if (!h) throw new Error('a data page has no data page header');
      count = h.num_values;
      encoding = h.encoding;
      if (row + count > rows) throw new Error(`the pages hold more than the row group's ${rows} rows`);
      if (on.skip?.(row, count)) {
        row += count;
        continue;
      }
      values = decompressPage(compressed, header.uncompressed_page_size, decoder.codec, decoder.compressors);
      if (decoder.optional) {
        present = new Uint8Array(count);
        const levels: DataReader = { view: viewOf(values), offset: 0 };
        readRleBitPackedHybrid(levels, 1, present);
        offset = levels.offset;
      }
    } else {
      const h = header.data_page_header_v2;
      if (!h) throw new Error('a data page v2 has no header');
      count = h.num_values;
      encoding = h.encoding;
      if (h.repetition_levels_byte_length !== 0) return false;
      if (row + count > rows) throw new Error(`the pages hold more than the row group's ${rows} rows`);
      if (on.skip?.(row, count)) {
        row += count;
        continue;
      }
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
    }
    let nonNull = count;
    if (present) for (let i = 0; i < count; i++) if (present[i] !== 1) nonNull--;
    if (!on.page({ first: row, count, encoding, present, nonNull, values, offset })) return false;
    row += count;
  }
  return true;
}

/** A boolean page's values as 0/1, or undefined for an encoding other than PLAIN and RLE. */
function booleanBits(values: Uint8Array, offset: number, encoding: string, count: number): Uint8Array | undefined {
  const bits = new Uint8Array(count);
  if (encoding === 'RLE') {
    readRleBitPackedHybrid({ view: viewOf(values), offset }, 1, bits);
    return bits;
  }
  if (encoding !== 'PLAIN') return undefined;
  if (offset + Math.ceil(count / 8) > values.length) throw new Error('a boolean page is too short');
  for (let i = 0; i < count; i++) bits[i] = (values[offset + (i >> 3)]! >> (i & 7)) & 1;
  return bits;
}

/**
 * A dictionary-encoded page's indices, each checked against the dictionary's size; undefined for
 * another encoding, or when the writer left the dictionary page out (hyparquet's row reader finds it).
 */
function dictionaryIndices(
  values: Uint8Array,
  offset: number,
  encoding: string,
  count: number,
  dictionarySize: number | undefined,
): Int32Array | undefined {
  if ((encoding !== 'PLAIN_DICTIONARY' && encoding !== 'RLE_DICTIONARY') || dictionarySize === undefined) {
    return undefined;
  }
  const indices = new Int32Array(count);
  const bitWidth = values[offset++] ?? 0;
  if (bitWidth > 32) throw new Error(`a dictionary page's bit width is ${bitWidth}`);
  if (bitWidth > 0) readRleBitPackedHybrid({ view: viewOf(values), offset }, bitWidth, indices, values.length - offset);
  for (let i = 0; i < count; i++) {
    const index = indices[i]!;
    if (index < 0 || index >= dictionarySize) {
      throw new Error(`dictionary index ${index} is outside its ${dictionarySize} values`);
    }
  }
  return indices;
}

/** Where the plain value at `offset` ends (`width` 0: a length-prefixed BYTE_ARRAY); throws if it runs past the page. */
function checkedValueEnd(bytes: Uint8Array, view: DataView, offset: number, width: number): number {
  if (width > 0) {
    if (offset + width > bytes.length) throw new Error('a page holds fewer values than its header says');
    return offset + width;
  }
  if (offset + 4 > bytes.length) throw new Error('a page holds fewer values than its header says');
  const end = offset + 4 + view.getUint32(offset, true);
  if (end > bytes.length) throw new Error(`a page's last value runs past its end`);
  return end;
}

function anyWanted(wanted: Uint8Array, from: number, count: number): boolean {
  const end = Math.min(wanted.length, from + count);
  for (let i = from; i < end; i++) if (wanted[i] === 1) return true;
  return false;
}

/** Where each of `count` plain-encoded values starts in `bytes`; throws if they do not fit. */
function plainOffsets(bytes: Uint8Array, decoder: ChunkDecoder, count: number): Int32Array {
  const offsets = new Int32Array(count);
  const view = viewOf(bytes);
  const width = decoder.type === 'BYTE_ARRAY' ? 0 : fixedWidth(decoder);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    offsets[i] = offset;
    offset = checkedValueEnd(bytes, view, offset, width);
  }
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

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
