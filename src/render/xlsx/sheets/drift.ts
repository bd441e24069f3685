import type { Workbook, Worksheet } from 'exceljs';
import type { DriftItem } from '../../../model/governance-sections.js';
import type { Severity } from '../../../model/severity.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { displayLength, setCell, type CellInput, type Tone } from '../cells.js';
import { columnsFor, startTable } from '../table.js';
import { prettyJson } from './governance-json.js';
import { HEADER_ROW, writeNote } from './log-sheet.js';
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

function block(sheet: Worksheet, first: number, lines: Array<[string, CellInput]>): number {
  lines.forEach(([label, value], i) => {
    const labelCell = sheet.getCell(first + i, 1);
    setCell(labelCell, label);
    labelCell.font = { bold: true };
    setCell(sheet.getCell(first + i, 2), value);
  });
  return first + lines.length;
}

export function addDriftSheet(wb: Workbook, w: Wording, p: Packet): void {
  const sheet = wb.addWorksheet(w.t('xlsx.sheets.drift'));
  const s = p.sections.drift;
  const t = (key: string, ctx?: Record<string, unknown>) => w.t(`xlsx.drift.${key}`, ctx);
  let headerRow = HEADER_ROW;
  if (s.state === 'not_collected') writeNote(sheet, w.t('xlsx.logs.notCollected', { reason: s.reason }));
  else if (s.state === 'no_baseline') {
    writeNote(sheet, t('noBaseline'));
    headerRow = block(sheet, 2, [[t('approveWith'), s.command]]) + 1;
  } else {
    writeNote(sheet, t('note', { ...s.counts, version: s.baseline.version, total: s.items.length }));
    const b = s.baseline;
    headerRow =
      block(sheet, 2, [
        [t('baseline.version'), b.version],
        [t('baseline.period'), b.period],
        [t('baseline.approvedAt'), b.approvedAt],
        [t('baseline.approvedBy'), b.approvedBy],
        [t('baseline.reason'), b.reason],
        [t('baseline.counts'), t('counts', s.counts)],
      ]) + 1;
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
  const table = startTable(sheet, columns, headerRow);
  if (s.state === 'compared') for (const item of s.items) table.add(item);
  table.finish();
  // The block's labels sit in column A: keep it wide enough to read them.
  const labels =
    s.state === 'compared'
      ? ['version', 'period', 'approvedAt', 'approvedBy', 'reason', 'counts'].map((k) => t(`baseline.${k}`))
      : [];
  const widest = Math.max(0, ...labels.map((l) => displayLength(l)));
  const colA = sheet.getColumn(1);
  colA.width = Math.max(colA.width ?? 0, widest + 2);
}
