import type { Worksheet } from 'exceljs';

/**
 * exceljs's streaming writer turns every hyperlink into an external relationship. A link to a cell
 * of the same workbook is not a relationship but a `location` on the <hyperlink> element
 * (ECMA-376 Part 1, §18.3.1.47), which its hyperlink writer emits when the target reads
 * `Sheet!A1`. So such targets go straight to the sheet's hyperlink list, without a relationship.
 * Reaches into the writer's sheet-relationships part (exceljs 4.x); test/render/xlsx checks the result.
 */
interface HyperlinkEntry {
  address: string;
  target?: string;
  rId?: string;
}
interface SheetRelsWriter {
  addHyperlink(h: { address: string; target: string }): void;
  _hyperlinks: HyperlinkEntry[];
}

const INTERNAL = /^[^!]+![A-Z]+\d+$/;

export function routeInternalLinks(sheet: Worksheet): void {
  const rels = (sheet as unknown as { _sheetRelsWriter?: SheetRelsWriter })._sheetRelsWriter;
  if (!rels || typeof rels.addHyperlink !== 'function' || !Array.isArray(rels._hyperlinks))
    throw new Error('exceljs streaming writer: sheet relationships writer not found (exceljs changed?)');
  const external = rels.addHyperlink.bind(rels);
  rels.addHyperlink = (h) => {
    if (INTERNAL.test(h.target)) rels._hyperlinks.push({ address: h.address, target: h.target });
    else external(h);
  };
}
