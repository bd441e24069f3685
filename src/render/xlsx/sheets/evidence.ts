import type { Book } from '../book.js';
import type { EvidenceFile } from '../../../model/packet.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { evidenceLink } from '../labels.js';
import { columnsFor, writeTable } from '../table.js';

export async function addEvidenceSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  const name = w.t('xlsx.sheets.evidence');
  const columns = columnsFor<EvidenceFile>(w, 'evidence', [
    { id: 'path', value: (f) => f.path, link: (f) => evidenceLink([f.path]) },
    { id: 'sha256', width: 66, value: (f) => f.sha256 },
    { id: 'size', format: 'bytes', value: (f) => f.size },
  ]);
  await writeTable(book, name, columns, p.evidence);
}
