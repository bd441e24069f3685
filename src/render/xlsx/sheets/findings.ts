import type { Book } from '../book.js';
import type { Finding, Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { evidenceLink, lines, severityLabel } from '../labels.js';
import { columnsFor, writeTable } from '../table.js';

export async function addFindingsSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  const name = w.t('xlsx.sheets.findings');
  const columns = columnsFor<Finding>(w, 'findings', [
    { id: 'id', value: (f) => f.id },
    { id: 'severity', value: (f) => severityLabel(w, f.severity) },
    { id: 'control', value: (f) => f.controlId },
    { id: 'resource', value: (f) => f.resource },
    { id: 'text', wrap: true, value: (f) => f.text },
    { id: 'evidence', wrap: true, value: (f) => lines(f.evidence), link: (f) => evidenceLink(f.evidence) },
  ]);
  await writeTable(book, name, columns, p.findings);
}
