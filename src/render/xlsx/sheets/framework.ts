import type { Book } from '../book.js';
import type { FrameworkResult, Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { frameworkRows, type FrameworkRow } from '../../framework-rows.js';
import { verdictCell } from '../labels.js';
import { columnsFor, writeTable } from '../table.js';

/**
 * One sheet per framework the packet was made with: each requirement with every control mapped to it,
 * that control's verdict and scope, and the requirement's overall status (repeated per row, for filtering).
 */
function addFrameworkSheet(book: Book, w: Wording, p: Packet, fw: FrameworkResult): Promise<void> {
  const columns = columnsFor<FrameworkRow>(w, 'framework', [
    { id: 'requirement', value: (r) => r.requirement.id },
    { id: 'title', wrap: true, value: (r) => r.requirement.title },
    { id: 'status', value: (r) => verdictCell(w, r.requirement.status) },
    { id: 'control', value: (r) => r.control.id },
    { id: 'controlTitle', wrap: true, value: (r) => r.control.title },
    { id: 'verdict', value: (r) => verdictCell(w, r.control.verdict) },
    { id: 'scope', wrap: true, value: (r) => r.control.summary },
    { id: 'framework', value: () => `${fw.name} (${fw.source})` },
  ]);
  return writeTable(book, fw.sheet, columns, frameworkRows(p, fw));
}

/** The framework sheets, in the packet's order; none for schema-1 packets, which re-render as issued. */
export async function addFrameworkSheets(book: Book, w: Wording, p: Packet): Promise<void> {
  for (const fw of p.frameworks ?? []) await addFrameworkSheet(book, w, p, fw);
}
