import { wallClock } from '../../../format/zone-day.js';
import type { Book } from '../book.js';
import type { DriftItem } from '../../../model/governance-sections.js';
import type { Severity } from '../../../model/severity.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import type { CellInput, Tone } from '../cells.js';
import { columnsFor, startTable, tableLayout } from '../table.js';
import { prettyJson } from './governance-json.js';
import { HEADER_ROW } from './log-sheet.js';
import { severityLabel } from '../labels.js';

/**
 * Row 1: one sentence on the comparison (or why there is none; then the table header is on row 2,
 * as on the log sheets). With no baseline, the approve command; when compared, the baseline block (version, period, when, who, why, counts) as label/value rows; then one row per drift item,
 * most severe first, with the approved and the current state as pretty-printed JSON.
 */
const SEVERITY_TONE: Record<Severity, Tone> = {
  critical: 'bad',
  high: 'bad',
  medium: 'warn',
  low: 'neutral',
  info: 'neutral',
};

export async function addDriftSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  const s = p.sections.drift;
  const t = (key: string, ctx?: Record<string, unknown>) => w.t(`xlsx.drift.${key}`, ctx);
  let note: string;
  let block: Array<[string, CellInput]> = [];
  if (s.state === 'not_collected') note = w.t('xlsx.logs.notCollected', { reason: s.reason });
  else if (s.state === 'no_baseline') {
    note = t('noBaseline');
    block = [[t('approveWith'), s.command]];
  } else {
    note = t('note', { ...s.counts, version: s.baseline.version, total: s.items.length });
    const b = s.baseline;
    block = [
      [t('baseline.version'), b.version],
      [t('baseline.period'), b.period],
      [t('baseline.approvedAt'), wallClock(b.approvedAt, 'UTC') ?? b.approvedAt],
      [t('baseline.approvedBy'), b.approvedBy],
      [t('baseline.reason'), b.reason],
      [t('baseline.counts'), t('counts', s.counts)],
    ];
  }
  const absent = t('absent');
  const columns = columnsFor<DriftItem>(w, 'drift', [
    {
      id: 'severity',
      value: (i) => ({ text: severityLabel(w, i.severity), tone: SEVERITY_TONE[i.severity] }),
    },
    { id: 'resourceType', value: (i) => w.t(`xlsx.drift.resourceType.${i.resourceType}`) },
    { id: 'resource', value: (i) => i.resource },
    { id: 'kind', value: (i) => w.t(`xlsx.driftKind.${i.kind}`) },
    { id: 'statement', value: (i) => i.statement },
    { id: 'changedFields', value: (i) => i.changedFields?.join(', ') },
    { id: 'summary', wrap: true, value: (i) => i.summary },
    { id: 'before', wrap: true, value: (i) => prettyJson(i.before, absent) },
    { id: 'after', wrap: true, value: (i) => prettyJson(i.after, absent) },
  ]);
  // Row 1 the note, then the block (label/value), then the table.
  const headerRow = block.length > 0 ? 2 + block.length + 1 : HEADER_ROW;
  const sheet = book.addSheet(w.t('xlsx.sheets.drift'), tableLayout(columns, headerRow));
  await sheet.row([{ value: note, bold: true, spill: true }]);
  for (const [label, value] of block)
    await sheet.row([
      { value: label, bold: true },
      { value, spill: true },
    ]);
  const table = await startTable(sheet, columns, headerRow);
  if (s.state === 'compared') for (const item of s.items) await table.add(item);
  table.finish();
  await sheet.finish();
}
