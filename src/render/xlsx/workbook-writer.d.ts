/**
 * exceljs's streaming workbook writer on its own: the package's entry also loads its reader (unzip,
 * sax, jszip), some 40 % of its load time, which a run that only writes never uses.
 */
declare module 'exceljs/lib/stream/xlsx/workbook-writer.js' {
  import type { stream } from 'exceljs';

  const WorkbookWriter: typeof stream.xlsx.WorkbookWriter;
  export default WorkbookWriter;
}
