import type { Wording } from '../../wording/wording.js';
import type { Book, CellSpec, Link, SheetLayout, SheetOut } from './book.js';
import type { CellInput, NumberFormat } from './cells.js';
import { calendarDay, wallClock } from '../../format/zone-day.js';

/** One column of a table sheet: its header, how its numbers are formatted and where its value comes from. */
export interface Column<R> {
  header: string;
  format?: NumberFormat;
  /** Long prose (reasons, remediation, evidence lists): wrapped, and wider. */
  wrap?: boolean;
  /** Fixed width, for values of known length (hashes) or streamed lists. */
  width?: number;
  value: (row: R) => CellInput;
  /** Where the cell links (evidence inside the packet, a row of another sheet). */
  link?: (row: R) => Link | undefined;
}

/** A "(key total)"-style row: bold, still inside the filtered range. */
interface AddOptions {
  bold?: boolean;
}

export interface ColumnSpec<R> extends Omit<Column<R>, 'header'> {
  /** Header label key under xlsx.columns.<sheet>. */
  id: string;
  /**
   * The column holds instants (ISO-8601) or calendar days (YYYY-MM-DD): written as real dates, as
   * wall-clock time in `zone`, which the header names. A value that is not a date stays text.
   */
  when?: { zone: string; kind: 'datetime' | 'date' };
}

/** A date cell for an instant or a calendar day; the text itself when it is neither. */
function dateValue(value: CellInput, when: NonNullable<ColumnSpec<unknown>['when']>): CellInput {
  if (typeof value !== 'string' || value === '') return value;
  const date =
    when.kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? calendarDay(value) : wallClock(value, when.zone);
  return date ?? value;
}

/** Resolve headers from templates/wording.yaml: xlsx.columns.<sheet>.<id>; date columns name their zone. */
export function columnsFor<R>(w: Wording, sheet: string, specs: Array<ColumnSpec<R>>): Array<Column<R>> {
  return specs.map(({ id, when, ...rest }) => {
    const header = w.t(`xlsx.columns.${sheet}.${id}`);
    if (!when) return { header, ...rest };
    return {
      ...rest,
      header: `${header} (${when.zone})`,
      format: when.kind,
      value: (row: R) => dateValue(rest.value(row), when),
    };
  });
}

/** The sheet layout a table needs: its columns' widths, the rows down to its header frozen. */
export function tableLayout<R>(columns: ReadonlyArray<Column<R>>, headerRow: number): SheetLayout {
  return { columns: columns.map((c) => ({ width: c.width, wrap: c.wrap })), frozenRows: headerRow };
}

export interface TableWriter<R> {
  add(row: R, opts?: AddOptions): Promise<void>;
  /** Write a row outside the filtered range (e.g. a total), bold. */
  addFooter(row: R): Promise<void>;
  /** Set the auto-filter over header and data rows. Returns the last row written. */
  finish(): number;
}

/**
 * A table on `sheet` whose header is the sheet's next row (or row `at`). Rows are written as they
 * come, so a long list never needs a second copy in memory.
 */
export async function startTable<R>(
  sheet: SheetOut,
  columns: ReadonlyArray<Column<R>>,
  at?: number,
): Promise<TableWriter<R>> {
  const headerRow = await sheet.row(
    columns.map((c) => ({ value: c.header, header: true })),
    at,
  );
  let lastDataRow = headerRow;

  const write = (row: R, bold: boolean): Promise<number> =>
    sheet.row(
      columns.map((column): CellSpec => ({
        value: column.value(row),
        format: column.format,
        wrap: column.wrap,
        bold,
        link: column.link?.(row),
      })),
    );

  return {
    async add(row, opts) {
      lastDataRow = await write(row, opts?.bold ?? false);
    },
    async addFooter(row) {
      await write(row, true);
    },
    finish() {
      sheet.filter(headerRow, lastDataRow);
      return sheet.next - 1;
    },
  };
}

/** A sheet holding one table (after an optional note on row 1), every row written at once. */
export async function writeTable<R>(
  book: Book,
  name: string,
  columns: ReadonlyArray<Column<R>>,
  rows: Iterable<R>,
  note?: string,
): Promise<void> {
  const sheet = book.addSheet(name, tableLayout(columns, note === undefined ? 1 : 2));
  if (note !== undefined) await sheet.row([{ value: note, bold: true, spill: true }]);
  const table = await startTable(sheet, columns);
  for (const row of rows) await table.add(row);
  table.finish();
  await sheet.finish();
}
