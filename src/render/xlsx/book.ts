import type ExcelJS from 'exceljs';
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer.js';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { displayLength, setCell, type CellInput, type NumberFormat } from './cells.js';
import { routeInternalLinks } from './stream-links.js';
import { stampZipEntries, stampZipFile } from './zip-timestamps.js';
import { zipTakenUpTo } from './zip-backlog.js';

/**
 * The workbook, written with exceljs's streaming writer: rows go to the zip as they are committed,
 * strings are written inline (no shared-string table), so memory does not grow with the rows.
 * The one thing a streamed sheet cannot do is go back: widths are set from the first rows (held
 * until WIDTH_SAMPLE rows have come or the sheet ends), and every row is written in order.
 */

/** Where a cell links: a file inside the packet (relative path) or a cell of another sheet. */
export type Link = { file: string } | { sheet: string; cell: string };

export interface CellSpec {
  value: CellInput;
  format?: NumberFormat;
  wrap?: boolean;
  bold?: boolean;
  /** A table header: bold on a tinted fill, ruled below, wrapped. */
  header?: boolean;
  /** A note that runs over the empty cells to its right: not counted in its column's width. */
  spill?: boolean;
  link?: Link;
}

interface ColumnLayout {
  /** Fixed width, for values of known length. */
  width?: number;
  /** Long prose: wrapped, so it may be wider than the rest. */
  wrap?: boolean;
  max?: number;
  min?: number;
}

export interface SheetLayout {
  columns: readonly ColumnLayout[];
  /** Rows above the scrolling pane (the header rows), 0 for none. */
  frozenRows: number;
}

export interface SheetOut {
  readonly name: string;
  /** The row the next `row()` call writes. */
  readonly next: number;
  /** Writes one row at `next` (or at `at`, leaving the rows between blank); returns its number. */
  row(cells: ReadonlyArray<CellSpec | undefined>, at?: number): Promise<number>;
  /** Filter buttons over rows first..last of the sheet's columns. */
  filter(first: number, last: number): void;
  finish(): Promise<void>;
}

export interface Book {
  addSheet(name: string, layout: SheetLayout): SheetOut;
  /** A workbook-level name for one cell, e.g. Summary!B5. */
  defineName(name: string, sheet: string, cell: string): void;
  finish(): Promise<void>;
}

export interface BookProperties {
  author: string;
  title: string;
  /** Document dates: the run's, never the clock's. */
  date: Date;
  /** Stamped on row 1 of every sheet (right of its columns), its tab and its printed header. */
  banner?: string;
}

const WIDTH_SAMPLE = 1_000;
// Rows committed between pauses that let the zip deflate what was written (exceljs's sheet
// streams do not push back, so a pause is the only way to let the deflater run).
const ROWS_PER_PAUSE = 200;
const MIN_WIDTH = 8;
// Wide enough for a KMS key ARN (75 characters) and most object keys; longer text wraps or is cut at a column edge.
const MAX_WIDTH = 80;
const MAX_WRAPPED_WIDTH = 64;
const BANNER_COLOUR = 'FFC00000';
const HEADER_FILL = 'FFDDEBF7';
const LINK_COLOUR = 'FF0563C1';

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A sheet name as a formula reference writes it: always quoted, inner quotes doubled. */
function quotedSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

export function openBook(out: Writable, props: BookProperties): Book {
  const wb = new WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = props.author;
  wb.lastModifiedBy = props.author;
  wb.created = props.date;
  wb.modified = props.date;
  wb.title = props.title;
  let open: SheetOut | undefined;
  const styles = new StyleInterner();

  return {
    addSheet(name, layout) {
      if (open) throw new Error(`sheet "${open.name}" is still being written`);
      const banner = props.banner;
      const ws = wb.addWorksheet(name, {
        views: layout.frozenRows > 0 ? [{ state: 'frozen', xSplit: 0, ySplit: layout.frozenRows }] : [],
        ...(banner
          ? {
              properties: { tabColor: { argb: BANNER_COLOUR } },
              headerFooter: { oddHeader: `&C&"-,Bold"&KC00000${banner.replace(/&/g, '&&')}` },
            }
          : {}),
      });
      routeInternalLinks(ws);
      const sheet = openSheet(ws, name, layout, banner, styles, () => (open = undefined));
      open = sheet;
      return sheet;
    },
    defineName(name, sheet, cell) {
      const [, col, row] = /^([A-Z]+)(\d+)$/.exec(cell) ?? [];
      if (!col || !row) throw new Error(`defined name ${name}: not a cell reference: ${cell}`);
      wb.definedNames.add(`${quotedSheet(sheet)}!$${col}$${row}`, name);
    },
    async finish() {
      if (open) throw new Error(`sheet "${open.name}" was not finished`);
      await wb.commit();
    },
  };
}

/**
 * One style object per distinct style: exceljs remembers the style id of a style object it has seen,
 * but each cell gets a fresh one, so every cell committed had its style written out as XML to be
 * looked up (a third of the workbook's CPU). A cell's style is decided by a few things (its value's
 * type and number format, its tone, and whether it wraps, heads a table, links, is bold or is the
 * banner): a cell whose key has been seen takes the style object made for the first such cell, and
 * only the first is built. The cell's type is part of the key: exceljs gives a style with no number
 * format a different id for numbers and dates.
 */
class StyleInterner {
  private readonly seen = new Map<string, Partial<ExcelJS.Style>>();

  get(key: string): Partial<ExcelJS.Style> | undefined {
    return this.seen.get(key);
  }

  keep(key: string, style: Partial<ExcelJS.Style>): void {
    this.seen.set(key, style);
  }
}

/** What decides a committed cell's style (see StyleInterner), read once its value is set. */
function styleKey(cell: ExcelJS.Cell, spec: CellSpec, bold: boolean, bannerEdge: boolean): string {
  const v = spec.value;
  const tone = typeof v === 'object' && v !== null && !(v instanceof Date) ? v.tone : '';
  const flags = `${spec.wrap ? 1 : 0}${spec.header ? 1 : 0}${spec.link ? 1 : 0}${bold ? 1 : 0}${bannerEdge ? 1 : 0}`;
  return `${cell.type}|${cell.numFmt ?? ''}|${tone}|${flags}`;
}

interface PendingRow {
  number: number;
  cells: ReadonlyArray<CellSpec | undefined>;
}

function openSheet(
  ws: ExcelJS.Worksheet,
  name: string,
  layout: SheetLayout,
  banner: string | undefined,
  styles: StyleInterner,
  onFinish: () => void,
): SheetOut {
  const columnCount = layout.columns.length;
  const longest = layout.columns.map(() => 0);
  let pending: PendingRow[] | undefined = [];
  let next = 1;
  let sinceSample = 0;
  let filterRange: { first: number; last: number } | undefined;

  const withBanner = (row: PendingRow): ReadonlyArray<CellSpec | undefined> => {
    if (row.number !== 1 || !banner) return row.cells;
    const cells = [...row.cells];
    cells[columnCount + 1] = { value: banner, bold: true };
    return cells;
  };

  const commit = (row: PendingRow) => {
    const out = ws.getRow(row.number);
    withBanner(row).forEach((spec, i) => {
      if (!spec) return;
      const cell = out.getCell(i + 1);
      setCell(cell, spec.value, spec.format);
      const shown = cell.value;
      if (spec.link && (typeof shown === 'string' || typeof shown === 'number'))
        cell.value = { text: String(shown), hyperlink: linkTarget(spec.link) };
      const edge = i === columnCount + 1;
      const bold = spec.bold === true || spec.header === true || (row.number === 1 && edge && Boolean(banner));
      const key = styleKey(cell, spec, bold, edge);
      const shared = styles.get(key);
      if (shared) {
        cell.style = shared;
        return;
      }
      if (spec.wrap || spec.header) cell.alignment = { vertical: 'top', wrapText: true };
      if (spec.header) {
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
        cell.border = { bottom: { style: 'thin' } };
      }
      if (spec.link) cell.font = { ...cell.font, underline: true, color: { argb: LINK_COLOUR } };
      if (bold) cell.font = { ...cell.font, bold: true, ...(edge ? { color: { argb: BANNER_COLOUR } } : {}) };
      styles.keep(key, cell.style);
    });
    out.commit();
  };

  const setWidths = () => {
    layout.columns.forEach((c, i) => {
      const max = c.max ?? (c.wrap ? MAX_WRAPPED_WIDTH : MAX_WIDTH);
      ws.getColumn(i + 1).width = c.width ?? Math.min(max, Math.max(c.min ?? MIN_WIDTH, (longest[i] ?? 0) + 2));
    });
  };

  const flushSample = () => {
    if (!pending) return;
    setWidths();
    // Nothing but the banner: row 1 still carries it.
    if (pending.length === 0 && banner) pending.push({ number: 1, cells: [] });
    else if (banner && pending[0]?.number !== 1) pending.unshift({ number: 1, cells: [] });
    for (const row of pending) commit(row);
    pending = undefined;
  };

  return {
    name,
    get next() {
      return next;
    },
    async row(cells, at) {
      const number = at ?? next;
      if (number < next) throw new Error(`${name}: row ${number} comes after row ${next - 1}`);
      if (cells.length > columnCount) throw new Error(`${name}: ${cells.length} cells in ${columnCount} columns`);
      next = number + 1;
      const row = { number, cells };
      if (pending) {
        cells.forEach((spec, i) => {
          if (spec && !spec.spill) longest[i] = Math.max(longest[i] ?? 0, displayLength(spec.value, spec.format));
        });
        pending.push(row);
        if (pending.length >= WIDTH_SAMPLE) {
          flushSample();
          await pause();
          await zipTakenUpTo(ws);
        }
        return number;
      }
      commit(row);
      if (++sinceSample >= ROWS_PER_PAUSE) {
        sinceSample = 0;
        await pause();
        await zipTakenUpTo(ws);
      }
      return number;
    },
    filter(first, last) {
      filterRange = { first, last };
    },
    async finish() {
      flushSample();
      if (filterRange)
        ws.autoFilter = {
          from: { row: filterRange.first, column: 1 },
          to: { row: filterRange.last, column: Math.max(columnCount, 1) },
        };
      ws.commit();
      onFinish();
      await pause();
    },
  };
}

/**
 * Streams a workbook into `file`, then stamps every zip entry with `date`: the same content gives
 * the same bytes on any machine (archiver dates entries with the clock).
 */
export async function writeBookFile(file: string, date: Date, write: (out: Writable) => Promise<void>): Promise<void> {
  const out = createWriteStream(file);
  const closed = once(out, 'close');
  try {
    await write(out);
  } catch (err) {
    // The workbook's own error is the one reported: ending the stream here made the zip's pending
    // writes fail with "write after end", and that replaced it. Late writes of the abandoned zip are
    // dropped with the stream.
    out.on('error', () => undefined);
    out.destroy();
    await closed.catch(() => undefined);
    throw err;
  }
  out.end();
  await closed;
  await stampZipFile(file, date);
}

/** The same workbook as bytes, for small ones kept in memory (the portfolio, tests). */
export async function bookBytes(date: Date, write: (out: Writable) => Promise<void>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await write(sink);
  return stampZipEntries(Buffer.concat(chunks), date);
}

/** Characters encodeURIComponent leaves as they are, and the slash between segments. */
const URI_PLAIN = /^[A-Za-z0-9\-_.!~*'()/]*$/;

/**
 * Whether `p` names a file inside the packet folder, relative to it: not empty, not absolute, no
 * backslash, no URI scheme, no `..` segment. Cells link only such paths (labels.ts), and the workbook
 * refuses any other.
 */
export function insidePacket(p: string): boolean {
  return (
    p !== '' &&
    !p.startsWith('/') &&
    !p.includes('\\') &&
    !/^[a-z][a-z0-9+.-]*:/i.test(p) &&
    !(p.includes('..') && p.split('/').includes('..'))
  );
}

function linkTarget(link: Link): string {
  if ('file' in link) {
    if (!insidePacket(link.file)) throw new Error(`workbook link outside the packet: ${link.file}`);
    // A relative URI: each path segment percent-encoded, the slashes kept (most paths need none).
    return URI_PLAIN.test(link.file) ? link.file : link.file.split('/').map(encodeURIComponent).join('/');
  }
  return `${quotedSheet(link.sheet)}!${link.cell}`;
}
