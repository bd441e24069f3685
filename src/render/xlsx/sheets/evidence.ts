import type { Workbook } from 'exceljs';
import type { EvidenceFile } from '../../../model/packet.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { columnsFor, writeTable } from '../table.js';

export function addEvidenceSheet(wb: Workbook, w: Wording, p: Packet): void {
  const sheet = wb.addWorksheet(w.t('xlsx.sheets.evidence'));
  const columns = columnsFor<EvidenceFile>(w, 'evidence', [
    { id: 'path', value: (f) => f.path },
    { id: 'sha256', width: 66, value: (f) => f.sha256 },
    { id: 'size', format: 'bytes', value: (f) => f.size },
  ]);
  writeTable(sheet, columns, p.evidence);
}
