import type { Book } from '../book.js';
import type { KeyManagementEvent } from '../../../model/log-sections.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { columnsFor } from '../table.js';
import { kindLabel } from './key-usage.js';
import { openNotedTable, periodContext } from './log-sheet.js';

type Row = KeyManagementEvent & { keyArn: string; alias?: string };

/** Key-management events (DisableKey, PutKeyPolicy, CreateGrant, …) of every key, in time order. */
export async function addKeyEventsSheet(book: Book, w: Wording, p: Packet, csv: string): Promise<void> {
  const name = w.t('xlsx.sheets.keyEvents');
  const s = p.sections.keyUsage;
  const columns = columnsFor<Row>(w, 'keyEvents', [
    { id: 'key', value: (e) => e.keyArn },
    { id: 'alias', value: (e) => e.alias },
    { id: 'time', when: { zone: p.period.timeZone, kind: 'datetime' }, value: (e) => e.time },
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
  if (s.state !== 'collected') {
    const { sheet, table } = await openNotedTable(
      book,
      name,
      columns,
      w.t('xlsx.logs.notCollected', { reason: s.reason }),
    );
    table.finish();
    await sheet.finish();
    return;
  }
  const aliases = new Map(p.keys.filter((k) => k.arn && k.alias).map((k) => [k.arn!, k.alias!]));
  const events: Row[] = s.keys
    .flatMap((k) => k.managementEvents.map((e) => ({ ...e, keyArn: k.keyArn, alias: aliases.get(k.keyArn) })))
    .sort((a, b) =>
      a.time < b.time ? -1 : a.time > b.time ? 1 : a.keyArn < b.keyArn ? -1 : a.keyArn > b.keyArn ? 1 : 0,
    );
  const note = w.t('xlsx.logs.keyEventsNote', { count: events.length, csv, ...periodContext(s.period) });
  const { sheet, table } = await openNotedTable(book, name, columns, note);
  for (const e of events) await table.add(e);
  table.finish();
  await sheet.finish();
}
