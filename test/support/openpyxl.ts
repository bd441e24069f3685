/**
 * An independent reader for rendered workbooks: openpyxl through Debian's python
 * (/usr/bin/python3 with python3-openpyxl from apt; not whatever python3 is first on PATH).
 */
import { execFileSync } from 'node:child_process';

export const DEBIAN_PYTHON = '/usr/bin/python3';

/** Run `script` with `args` (sys.argv[1:]) and parse what it prints as JSON. */
export function runPythonJson<T>(script: string, args: string[]): T {
  const out = execFileSync(DEBIAN_PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as T;
}

export interface OpenpyxlCell {
  ref: string;
  value: string | number | boolean | null;
  /** openpyxl data type: s string, n number, b bool, f formula, e error. */
  type: string;
  numberFormat: string;
  bold: boolean;
  /** Solid fill colour as ARGB, or null. */
  fill: string | null;
}

export interface OpenpyxlSheet {
  title: string;
  freezePanes: string | null;
  autoFilter: string | null;
  maxRow: number;
  maxColumn: number;
  widths: Record<string, number>;
  /** Rows 1..maxRows, each cell of the sheet's used width. */
  rows: OpenpyxlCell[][];
}

export interface OpenpyxlWorkbook {
  sheetNames: string[];
  creator: string | null;
  lastModifiedBy: string | null;
  created: string | null;
  modified: string | null;
  /** Every zip entry's modification time as (y, m, d, H, M, S), read by Python's zipfile. */
  zipTimes: Array<[number, number, number, number, number, number]>;
  sheets: OpenpyxlSheet[];
}

const DUMP_SCRIPT = `
import json, sys, zipfile
import openpyxl

path, max_rows = sys.argv[1], int(sys.argv[2])
wb = openpyxl.load_workbook(path)

def fill_of(c):
    f = c.fill
    if f is None or f.fill_type != 'solid':
        return None
    rgb = f.fgColor.rgb if f.fgColor is not None else None
    return rgb if isinstance(rgb, str) else None

def value_of(v):
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)

sheets = []
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, max_rows)):
        rows.append([{
            'ref': c.coordinate, 'value': value_of(c.value), 'type': c.data_type,
            'numberFormat': c.number_format, 'bold': bool(c.font and c.font.b), 'fill': fill_of(c),
        } for c in row])
    sheets.append({
        'title': ws.title,
        'freezePanes': ws.freeze_panes,
        'autoFilter': ws.auto_filter.ref,
        'maxRow': ws.max_row,
        'maxColumn': ws.max_column,
        'widths': {k: d.width for k, d in ws.column_dimensions.items() if d.width},
        'rows': rows,
    })

props = wb.properties
with zipfile.ZipFile(path) as z:
    zip_times = [list(i.date_time) for i in z.infolist()]
print(json.dumps({
    'sheetNames': wb.sheetnames,
    'creator': props.creator, 'lastModifiedBy': props.lastModifiedBy,
    'created': props.created.isoformat() if props.created else None,
    'modified': props.modified.isoformat() if props.modified else None,
    'zipTimes': zip_times,
    'sheets': sheets,
}))
`;

/** Read a workbook with openpyxl: properties, zip entry times, and per sheet the first `maxRows` rows. */
export function readWithOpenpyxl(file: string, maxRows = 60): OpenpyxlWorkbook {
  return runPythonJson<OpenpyxlWorkbook>(DUMP_SCRIPT, [file, String(maxRows)]);
}

/** Cell by A1 reference from a dump (throws when the row was not dumped). */
export function cellAt(sheet: OpenpyxlSheet, ref: string): OpenpyxlCell {
  for (const row of sheet.rows) for (const cell of row) if (cell.ref === ref) return cell;
  throw new Error(`${sheet.title}!${ref} not in the dump`);
}

export function sheetNamed(wb: OpenpyxlWorkbook, title: string): OpenpyxlSheet {
  const sheet = wb.sheets.find((s) => s.title === title);
  if (!sheet) throw new Error(`no sheet "${title}" in ${wb.sheetNames.join(', ')}`);
  return sheet;
}
