import type { Book } from '../book.js';
import type { ExceptionRow, ExceptionStatus } from '../../../model/governance-sections.js';
import type { ExceptionScope } from '../../../model/governance-sections.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import type { Tone } from '../cells.js';
import { lines } from '../labels.js';
import { columnsFor } from '../table.js';
import { openNotedTable } from './log-sheet.js';

/** The whole register in file order, with each entry's status as judged this month, days left, what it excepted and its problems. */
const STATUS_TONE: Record<ExceptionStatus, Tone> = {
  active: 'good',
  expiring_soon: 'warn',
  expired: 'bad',
  unused: 'neutral',
  invalid: 'bad',
};

function scopeParts(scope: ExceptionScope | undefined): { bucket?: string; prefix?: string; key?: string } {
  if (!scope) return {};
  return 'key' in scope
    ? { key: scope.key }
    : { bucket: scope.bucket, ...(scope.prefix !== undefined ? { prefix: scope.prefix } : {}) };
}

export async function addExceptionsSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  const s = p.sections.exceptions;
  const columns = columnsFor<ExceptionRow>(w, 'exceptions', [
    { id: 'id', value: (e) => e.id },
    { id: 'status', value: (e) => ({ text: w.t(`xlsx.exceptionStatus.${e.status}`), tone: STATUS_TONE[e.status] }) },
    { id: 'daysLeft', value: (e) => e.daysLeft },
    { id: 'expires', when: { zone: p.period.timeZone, kind: 'date' }, value: (e) => e.expires },
    { id: 'bucket', value: (e) => scopeParts(e.scope).bucket },
    { id: 'prefix', value: (e) => scopeParts(e.scope).prefix },
    { id: 'key', value: (e) => scopeParts(e.scope).key },
    { id: 'control', value: (e) => e.control },
    { id: 'owner', value: (e) => e.owner },
    { id: 'ticket', value: (e) => e.ticket },
    { id: 'approvedBy', value: (e) => e.approvedBy },
    { id: 'reason', wrap: true, value: (e) => e.reason },
    { id: 'appliedTo', wrap: true, value: (e) => lines(e.appliedTo) },
    { id: 'problems', wrap: true, value: (e) => lines(e.problems) },
  ]);
  const note =
    s.state === 'not_collected'
      ? w.t('xlsx.logs.notCollected', { reason: s.reason })
      : s.state === 'no_register'
        ? w.t('xlsx.exceptions.noRegister', { file: s.file })
        : w.t('xlsx.exceptions.note', {
            file: s.file,
            asOf: s.asOf,
            zone: s.timeZone,
            entries: s.entries.length,
            ...s.counts,
            expiring: s.expiringWithin30Days.join(', '),
          });
  const { sheet, table } = await openNotedTable(book, w.t('xlsx.sheets.exceptions'), columns, note);
  if (s.state === 'evaluated') for (const entry of s.entries) await table.add(entry);
  table.finish();
  await sheet.finish();
}
