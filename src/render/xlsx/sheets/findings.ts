import type { Workbook } from 'exceljs';
import type { Finding, Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { lines, severityLabel } from '../labels.js';
import { columnsFor, writeTable } from '../table.js';

export function addFindingsSheet(wb: Workbook, w: Wording, p: Packet): void {
  const sheet = wb.addWorksheet(w.t('xlsx.sheets.findings'));
  const columns = columnsFor<Finding>(w, 'findings', [
    { id: 'id', value: (f) => f.id },
    { id: 'severity', value: (f) => severityLabel(w, f.severity) },
    { id: 'control', value: (f) => f.controlId },
    { id: 'resource', value: (f) => f.resource },
    { id: 'text', wrap: true, value: (f) => f.text },
    { id: 'evidence', wrap: true, value: (f) => lines(f.evidence) },
  ]);
  writeTable(sheet, columns, p.findings);
}
