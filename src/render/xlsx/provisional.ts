import type ExcelJS from 'exceljs';
import type { Packet } from '../../model/packet.js';
import type { Wording } from '../../wording/wording.js';

/**
 * A provisional packet says so on every sheet: in row 1, right of the sheet's own columns (no cell
 * an auditor or a test addresses moves), and in the printed header.
 */
export function stampProvisional(wb: ExcelJS.Workbook, w: Wording, packet: Packet): void {
  if (!packet.provisional) return;
  const text = w.t('xlsx.provisional', { period: packet.period.label, generatedAt: packet.generatedAt });
  for (const sheet of wb.worksheets) {
    const cell = sheet.getRow(1).getCell(Math.max(sheet.columnCount, 1) + 2);
    cell.value = text;
    cell.font = { bold: true, color: { argb: 'FFC00000' } };
    sheet.properties.tabColor = { argb: 'FFC00000' };
    sheet.headerFooter.oddHeader = `&C&"-,Bold"&KC00000${text.replace(/&/g, '&&')}`;
  }
}
