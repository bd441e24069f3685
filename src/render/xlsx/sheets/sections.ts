import type { Workbook } from 'exceljs';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../wording.js';
import { columnsFor, writeTable } from '../table.js';

type SectionId = keyof Packet['sections'];
// Fixed order, as the PDF lists them.
const SECTION_ORDER: readonly SectionId[] = ['deniedUploads', 'keyUsage', 'drift', 'awsConfig', 'exceptions', 'trend'];

export function addSectionsSheet(wb: Workbook, w: Wording, p: Packet): void {
  const sheet = wb.addWorksheet(w.t('xlsx.sheets.sections'));
  const columns = columnsFor<SectionId>(w, 'sections', [
    { id: 'section', value: (id) => w.t(`xlsx.sections.${id}`) },
    { id: 'state', value: (id) => ({ text: w.t(`xlsx.sectionState.${p.sections[id].state}`), tone: 'neutral' }) },
    { id: 'reason', wrap: true, value: (id) => { const s = p.sections[id]; return s.state === 'not_collected' ? s.reason : ''; } },
  ]);
  writeTable(sheet, columns, SECTION_ORDER);
}
