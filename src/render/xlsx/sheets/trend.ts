import type { Book } from '../book.js';
import type { TrendPoint } from '../../../model/governance-sections.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { pctFraction, type Tone } from '../cells.js';
import { columnsFor } from '../table.js';
import { openNotedTable } from './log-sheet.js';

/** Twelve months, oldest first. A figure a month does not have is a blank cell, never 0. */
const STATE_TONE: Record<TrendPoint['state'], Tone> = {
  present: 'good',
  missing: 'neutral',
  unreadable: 'bad',
  unverified: 'bad',
};

const pct = (v: number | null) => (v === null ? null : pctFraction(v));

export async function addTrendSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  const s = p.sections.trend;
  const columns = columnsFor<TrendPoint>(w, 'trend', [
    { id: 'month', value: (r) => r.period },
    { id: 'state', value: (r) => ({ text: w.t(`xlsx.trendState.${r.state}`), tone: STATE_TONE[r.state] }) },
    { id: 'objectsPct', format: 'pct', value: (r) => pct(r.objectsPct) },
    { id: 'bytesPct', format: 'pct', value: (r) => pct(r.bytesPct) },
    { id: 'deniedUploads', format: 'count', value: (r) => r.deniedUploads },
    { id: 'failingControls', format: 'count', value: (r) => r.failingControls },
    { id: 'criticalDrifts', format: 'count', value: (r) => r.criticalDrifts },
    {
      id: 'note',
      wrap: true,
      value: (r) =>
        r.problem ??
        (r.deniedUploadsNotItemised ? w.t('xlsx.trend.deniedNotItemised', { n: r.deniedUploadsNotItemised }) : null),
    },
    { id: 'manifest', value: (r) => r.manifestSha256 },
  ]);
  const count = (state: TrendPoint['state']) =>
    s.state === 'collected' ? s.points.filter((pt) => pt.state === state).length : 0;
  const note =
    s.state !== 'collected'
      ? w.t('xlsx.logs.notCollected', { reason: s.reason })
      : w.t('xlsx.trend.note', {
          months: s.points.length,
          first: s.points[0]?.period ?? '',
          last: s.points[s.points.length - 1]?.period ?? '',
          present: count('present'),
          missing: count('missing'),
          unreadable: count('unreadable'),
          unverified: count('unverified'),
        });
  const { sheet, table } = await openNotedTable(book, w.t('xlsx.sheets.trend'), columns, note);
  if (s.state === 'collected') for (const point of s.points) await table.add(point);
  table.finish();
  await sheet.finish();
}
