/**
 * An independent reader for rendered workbooks: it opens the package with adm-zip (checking every entry's
 * CRC) and reads the SpreadsheetML parts with @xmldom/xmldom as ECMA-376 Part 1 defines them, sharing no
 * code with exceljs, which writes them. It reports what a spreadsheet user sees, in openpyxl's terms, which
 * the tests were first written against: cell values and types (s, n, b, e, f, d), number formats, bold,
 * solid fills, frozen panes, auto-filters, column widths, hyperlinks (relationship targets and in-workbook
 * locations), defined names, sheet names, document properties, zip entry times. Date cells (a date number
 * format) are read as ISO-8601 text.
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import AdmZip from 'adm-zip';
import path from 'node:path';

export interface CellDump {
  ref: string;
  value: string | number | boolean | null;
  /** s string, n number, b bool, f formula (value "=…"), e error, d date (value ISO-8601, UTC). */
  type: string;
  numberFormat: string;
  bold: boolean;
  /** Solid fill colour as ARGB, or null. */
  fill: string | null;
}

export interface SheetDump {
  title: string;
  /** Top-left cell of the scrolling pane when panes are frozen, else null. */
  freezePanes: string | null;
  autoFilter: string | null;
  /** Highest row and column holding a cell element (1 when there is none). */
  maxRow: number;
  maxColumn: number;
  /** Width of every column that has one, by letter. */
  widths: Record<string, number>;
  /** Hyperlinks by cell: `file` for a relationship target (external or relative), `location` for a cell of the workbook. */
  links: Record<string, { file?: string; location?: string }>;
  /** Rows 1..min(maxRow, maxRows), each with a cell for every column up to maxColumn. */
  rows: CellDump[][];
}

export interface WorkbookDump {
  sheetNames: string[];
  creator: string | null;
  lastModifiedBy: string | null;
  /** dcterms:created / modified in UTC, ISO-8601 without a zone (as openpyxl gives them). */
  created: string | null;
  modified: string | null;
  /** Every zip entry's modification time as (y, m, d, H, M, S), the DOS fields as stored. */
  zipTimes: Array<[number, number, number, number, number, number]>;
  /** Workbook-level defined names and what they refer to (e.g. 'Summary'!$B$5). */
  definedNames: Record<string, string>;
  sheets: SheetDump[];
}

export interface ZipDump {
  /** Every entry's modification time as (y, m, d, H, M, S). */
  times: Array<[number, number, number, number, number, number]>;
  /** Name of the first entry whose data does not match its CRC-32 (or cannot be inflated), or null. */
  bad: string | null;
}

const REL_OFFICE_DOCUMENT = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument';
const REL_CORE = 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** ECMA-376 Part 1 §18.8.30: the number formats every reader knows by id. */
const BUILTIN_FORMATS: Record<number, string> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy h:mm',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00;(#,##0.00)',
  40: '#,##0.00;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
};

type ZipTime = [number, number, number, number, number, number];

/** An entry's stored DOS time: adm-zip decodes the fields into a local-time Date, whose local getters return them. */
const zipTime = (d: Date): ZipTime => [
  d.getFullYear(),
  d.getMonth() + 1,
  d.getDate(),
  d.getHours(),
  d.getMinutes(),
  d.getSeconds(),
];

/** Entry times, and the first entry whose data fails its CRC (what Python's ZipFile.testzip reports). */
export function readZip(file: string): ZipDump {
  const zip = new AdmZip(file);
  let bad: string | null = null;
  for (const entry of zip.getEntries()) {
    try {
      entry.getData();
    } catch {
      bad ??= entry.entryName;
    }
  }
  return { times: zip.getEntries().map((e) => zipTime(e.header.time)), bad };
}

/** Read a workbook: properties, zip entry times, and per sheet the first `maxRows` rows. */
export function readWorkbook(file: string, maxRows = 60): WorkbookDump {
  const zip = new AdmZip(file);
  const part = (name: string): Element | null => {
    const entry = zip.getEntry(name);
    if (!entry) return null;
    return new DOMParser().parseFromString(entry.getData().toString('utf8'), 'text/xml').documentElement;
  };
  const need = (name: string): Element => {
    const el = part(name);
    if (!el) throw new Error(`${file}: no part ${name}`);
    return el;
  };

  const rootRels = relationships(part('_rels/.rels'), '');
  const workbookPath = rootRels.find((r) => r.type === REL_OFFICE_DOCUMENT)?.target;
  if (!workbookPath) throw new Error(`${file}: no officeDocument relationship`);
  const workbook = need(workbookPath);
  const workbookRels = relationships(part(relsPathOf(workbookPath)), path.posix.dirname(workbookPath));
  const target = (type: string) => workbookRels.find((r) => r.type.endsWith(`/${type}`))?.target;

  const sharedStringsPath = target('sharedStrings');
  const shared = sharedStringsPath ? children(need(sharedStringsPath), 'si').map(stringItem) : [];
  const stylesPath = target('styles');
  const styles = stylesPath ? readStyles(need(stylesPath)) : [];

  const sheets = children(first(workbook, 'sheets'), 'sheet').map((sheet) => {
    const id = sheet.getAttributeNS(REL_NS, 'id') ?? '';
    const rel = workbookRels.find((r) => r.id === id);
    if (!rel) throw new Error(`${file}: sheet "${sheet.getAttribute('name')}" has no relationship ${id}`);
    const sheetRels = relationships(part(relsPathOf(rel.target)), '');
    return readSheet(sheet.getAttribute('name') ?? '', need(rel.target), shared, styles, maxRows, sheetRels);
  });
  const definedNames: Record<string, string> = {};
  for (const d of descendants(workbook, 'definedName'))
    definedNames[d.getAttribute('name') ?? ''] = d.textContent ?? '';

  const corePath = rootRels.find((r) => r.type === REL_CORE)?.target;
  const core = corePath ? part(corePath) : null;
  const prop = (name: string) => (core ? (descendants(core, name)[0]?.textContent ?? null) : null);
  return {
    sheetNames: sheets.map((s) => s.title),
    creator: prop('creator'),
    lastModifiedBy: prop('lastModifiedBy'),
    created: utcWithoutZone(prop('created')),
    modified: utcWithoutZone(prop('modified')),
    zipTimes: zip.getEntries().map((e) => zipTime(e.header.time)),
    definedNames,
    sheets,
  };
}

/** Cell by A1 reference from a dump (throws when the row was not dumped). */
export function cellAt(sheet: SheetDump, ref: string): CellDump {
  for (const row of sheet.rows) for (const cell of row) if (cell.ref === ref) return cell;
  throw new Error(`${sheet.title}!${ref} not in the dump`);
}

export function sheetNamed(wb: WorkbookDump, title: string): SheetDump {
  const sheet = wb.sheets.find((s) => s.title === title);
  if (!sheet) throw new Error(`no sheet "${title}" in ${wb.sheetNames.join(', ')}`);
  return sheet;
}

interface Style {
  numberFormat: string;
  bold: boolean;
  fill: string | null;
}

const DEFAULT_STYLE: Style = { numberFormat: 'General', bold: false, fill: null };

function readSheet(
  title: string,
  ws: Element,
  shared: string[],
  styles: Style[],
  maxRows: number,
  rels: Array<{ id: string; raw: string }>,
): SheetDump {
  const cells = new Map<string, CellDump>();
  let maxRow = 0;
  let maxColumn = 0;
  for (const c of descendants(first(ws, 'sheetData'), 'c')) {
    const ref = c.getAttribute('r');
    if (!ref) throw new Error(`${title}: a cell without a reference`);
    const { row, column } = parseRef(ref);
    maxRow = Math.max(maxRow, row);
    maxColumn = Math.max(maxColumn, column);
    cells.set(ref, readCell(ref, c, shared, styles));
  }
  maxRow ||= 1;
  maxColumn ||= 1;

  const rows: CellDump[][] = [];
  for (let r = 1; r <= Math.min(maxRow, maxRows); r++) {
    const row: CellDump[] = [];
    for (let col = 1; col <= maxColumn; col++) {
      const ref = `${columnLetter(col)}${r}`;
      row.push(cells.get(ref) ?? { ref, value: null, type: 'n', ...DEFAULT_STYLE });
    }
    rows.push(row);
  }

  const pane = descendants(ws, 'pane')[0];
  const frozen =
    pane && /^frozen/.test(pane.getAttribute('state') ?? '') ? (pane.getAttribute('topLeftCell') ?? null) : null;
  const widths: Record<string, number> = {};
  for (const col of descendants(ws, 'col')) {
    const width = col.getAttribute('width');
    if (!width) continue;
    for (let i = Number(col.getAttribute('min')); i <= Number(col.getAttribute('max')); i++)
      widths[columnLetter(i)] = Number(width);
  }
  // Hyperlink targets are kept as written (relative to the workbook), not resolved against the sheet's folder.
  const rawTargets = new Map(rels.map((r) => [r.id, r.raw]));
  const links: SheetDump['links'] = {};
  for (const h of descendants(ws, 'hyperlink')) {
    const id = h.getAttributeNS(REL_NS, 'id');
    const location = h.getAttribute('location');
    links[h.getAttribute('ref') ?? ''] = {
      ...(id ? { file: rawTargets.get(id) ?? `(no relationship ${id})` } : {}),
      ...(location ? { location } : {}),
    };
  }
  return {
    title,
    freezePanes: frozen,
    links,
    autoFilter: children(ws, 'autoFilter')[0]?.getAttribute('ref') ?? null,
    maxRow,
    maxColumn,
    widths,
    rows,
  };
}

function readCell(ref: string, c: Element, shared: string[], styles: Style[]): CellDump {
  const style = styles[Number(c.getAttribute('s') ?? 0)] ?? DEFAULT_STYLE;
  const t = c.getAttribute('t') ?? 'n';
  const formula = children(c, 'f')[0];
  const v = children(c, 'v')[0]?.textContent ?? null;
  const cell = (value: CellDump['value'], type: string): CellDump => ({ ref, value, type, ...style });
  if (formula) return cell(`=${formula.textContent ?? ''}`, 'f');
  switch (t) {
    case 's': {
      const s = shared[Number(v)];
      if (s === undefined) throw new Error(`${ref}: shared string ${v} does not exist`);
      return cell(s, 's');
    }
    case 'inlineStr': {
      const is = children(c, 'is')[0];
      return cell(is ? stringItem(is) : '', 's');
    }
    case 'str':
      return cell(v === null ? null : unescapeText(v), 's');
    case 'b':
      return cell(v === null ? null : v === '1' || v === 'true', 'b');
    case 'e':
      return cell(v, 'e');
    default: {
      if (v === null) return cell(null, 'n');
      const n = Number(v);
      if (Number.isNaN(n)) throw new Error(`${ref}: number cell holds "${v}"`);
      return isDateFormat(style.numberFormat) ? cell(serialToIso(n), 'd') : cell(n, 'n');
    }
  }
}

function readStyles(styleSheet: Element): Style[] {
  const custom = new Map<number, string>();
  for (const f of children(first(styleSheet, 'numFmts'), 'numFmt'))
    custom.set(Number(f.getAttribute('numFmtId')), f.getAttribute('formatCode') ?? '');
  const fonts = children(first(styleSheet, 'fonts'), 'font').map((font) => {
    const b = children(font, 'b')[0];
    return b !== undefined && !['0', 'false'].includes(b.getAttribute('val') ?? '1');
  });
  const fills = children(first(styleSheet, 'fills'), 'fill').map((fill) => {
    const pattern = children(fill, 'patternFill')[0];
    if (pattern?.getAttribute('patternType') !== 'solid') return null;
    return children(pattern, 'fgColor')[0]?.getAttribute('rgb') || null;
  });
  return children(first(styleSheet, 'cellXfs'), 'xf').map((xf) => {
    const id = Number(xf.getAttribute('numFmtId') ?? 0);
    return {
      numberFormat: custom.get(id) ?? BUILTIN_FORMATS[id] ?? 'General',
      bold: fonts[Number(xf.getAttribute('fontId') ?? 0)] ?? false,
      fill: fills[Number(xf.getAttribute('fillId') ?? 0)] ?? null,
    };
  });
}

/** A shared or inline string: its text, or the texts of its runs (phonetic runs left out). */
function stringItem(si: Element): string {
  const t = children(si, 't')[0];
  if (t) return unescapeText(t.textContent ?? '');
  return children(si, 'r')
    .map((r) => unescapeText(children(r, 't')[0]?.textContent ?? ''))
    .join('');
}

/** SpreadsheetML writes characters XML cannot hold as _xHHHH_ (§22.9.2.19). */
const unescapeText = (s: string): string =>
  s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

function isDateFormat(format: string): boolean {
  if (format === 'General' || format === '@') return false;
  // Quoted text, escaped characters and [colour]/[condition] sections carry no date parts.
  const bare = format.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return /[dmyhs]/i.test(bare);
}

/** A 1900-system serial date as ISO-8601 UTC (serial 60 is the 1900 leap day that never was). */
function serialToIso(serial: number): string {
  const days = serial < 60 ? serial : serial - 1;
  return new Date(Date.UTC(1899, 11, 31) + Math.round(days * 86_400_000)).toISOString();
}

function utcWithoutZone(w3cdtf: string | null): string | null {
  if (!w3cdtf) return null;
  const d = new Date(w3cdtf);
  if (Number.isNaN(d.getTime())) return w3cdtf;
  return d.toISOString().replace(/\.000Z$|Z$/, '');
}

function relationships(
  rels: Element | null,
  baseDir: string,
): Array<{ id: string; type: string; target: string; raw: string }> {
  if (!rels) return [];
  return children(rels, 'Relationship').map((r) => {
    const target = r.getAttribute('Target') ?? '';
    return {
      id: r.getAttribute('Id') ?? '',
      type: r.getAttribute('Type') ?? '',
      raw: target,
      target: target.startsWith('/') ? target.slice(1) : path.posix.normalize(path.posix.join(baseDir, target)),
    };
  });
}

const relsPathOf = (partPath: string) =>
  path.posix.join(path.posix.dirname(partPath), '_rels', `${path.posix.basename(partPath)}.rels`);

function parseRef(ref: string): { row: number; column: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(ref);
  if (!m) throw new Error(`not an A1 reference: ${ref}`);
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- column letters are A-Z
  const column = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return { row: Number(m[2]), column };
}

function columnLetter(n: number): string {
  let out = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) out = String.fromCharCode(65 + ((i - 1) % 26)) + out;
  return out;
}

function children(el: Element | undefined | null, localName: string): Element[] {
  if (!el) return [];
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as Element).localName === localName) out.push(n as Element);
  return out;
}

function descendants(el: Element | undefined, localName: string): Element[] {
  return el ? Array.from(el.getElementsByTagNameNS('*', localName)) : [];
}

function first(el: Element, localName: string): Element | undefined {
  return descendants(el, localName)[0];
}
