import type { Workbook } from 'exceljs';
import type { KeyManagementEvent } from '../../../model/log-sections.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { columnsFor, startTable } from '../table.js';
import { kindLabel } from './key-usage.js';
import { addLogSheet, HEADER_ROW, periodContext, writeNote } from './log-sheet.js';

type Row = KeyManagementEvent & { keyArn: string; alias?: string };

/** Key-management events (DisableKey, PutKeyPolicy, CreateGrant, …) of every key, in time order. */
export function addKeyEventsSheet(wb: Workbook, w: Wording, p: Packet, csv: string): void {
  const sheet = addLogSheet(wb, w, 'keyEvents');
  const s = p.sections.keyUsage;
  const columns = columnsFor<Row>(w, 'keyEvents', [
    { id: 'key', value: (e) => e.keyArn },
    { id: 'alias', value: (e) => e.alias },
    { id: 'time', value: (e) => e.time },
    { id: 'event', value: (e) => e.eventName },
    { id: 'principal', value: (e) => e.principal },
    { id: 'kind', value: (e) => kindLabel(w, e.kind) },
    { id: 'sourceIp', value: (e) => e.sourceIp },
    // A refused attempt is still an event worth reading: the error code is its status word.
    { id: 'error', value: (e) => (e.errorCode ? { text: e.errorCode, tone: 'warn' } : undefined) },
    { id: 'detail', wrap: true, value: (e) => e.detail },
    { id: 'requestId', value: (e) => e.requestId },
    { id: 'eventId', value: (e) => e.eventId },
  ]);
  const table = startTable(sheet, columns, HEADER_ROW);
  if (s.state !== 'collected') {
    table.finish();
    writeNote(sheet, w.t('xlsx.logs.notCollected', { reason: s.reason }));
    return;
  }
  const aliases = new Map(p.keys.filter((k) => k.arn && k.alias).map((k) => [k.arn!, k.alias!]));
  const events: Row[] = s.keys
    .flatMap((k) => k.managementEvents.map((e) => ({ ...e, keyArn: k.keyArn, alias: aliases.get(k.keyArn) })))
    .sort((a, b) =>
      a.time < b.time ? -1 : a.time > b.time ? 1 : a.keyArn < b.keyArn ? -1 : a.keyArn > b.keyArn ? 1 : 0,
    );
  for (const e of events) table.add(e);
  table.finish();
  writeNote(sheet, w.t('xlsx.logs.keyEventsNote', { count: events.length, csv, ...periodContext(s.period) }));
}
