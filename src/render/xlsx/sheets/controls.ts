import type { Book } from '../book.js';
import type { ControlResult, FrameworkRef, Packet, ResourceVerdict } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { evidenceLink, lines, verdictCell } from '../labels.js';
import { columnsFor, writeTable } from '../table.js';

/** One row per control, each followed by one row per resource verdict (same control id, for filtering). */
type Row = { control: ControlResult; resource?: ResourceVerdict };

function reference(ref: FrameworkRef): string {
  return `${ref.framework} ${ref.id} (${ref.title})`;
}

export async function addControlsSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  const name = w.t('xlsx.sheets.controls');
  const columns = columnsFor<Row>(w, 'controls', [
    { id: 'control', value: (r) => r.control.id },
    { id: 'title', value: (r) => r.control.title },
    { id: 'resource', value: (r) => r.resource?.resource ?? w.t('xlsx.values.controlRow') },
    { id: 'verdict', value: (r) => verdictCell(w, r.resource?.verdict ?? r.control.verdict) },
    { id: 'summary', wrap: true, value: (r) => (r.resource ? r.resource.reason : r.control.summary) },
    { id: 'passes', wrap: true, value: (r) => (r.resource ? null : r.control.passes) },
    { id: 'references', wrap: true, value: (r) => (r.resource ? null : lines(r.control.references.map(reference))) },
    { id: 'remediation', wrap: true, value: (r) => (r.resource ? null : r.control.remediation) },
    {
      id: 'evidence',
      wrap: true,
      value: (r) => (r.resource ? lines(r.resource.evidence) : null),
      link: (r) => (r.resource ? evidenceLink(r.resource.evidence) : undefined),
    },
  ]);
  const rows = p.controls.flatMap((control): Row[] => [
    { control },
    ...control.resources.map((resource) => ({ control, resource })),
  ]);
  await writeTable(book, name, columns, rows);
}
