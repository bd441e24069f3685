import type { Book } from '../book.js';
import {
  DENIAL_REASONS,
  type CoverageStatement,
  type DeniedUploadsCollected,
  type DenialReason,
} from '../../../model/log-sections.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import type { CellInput, Tone } from '../cells.js';
import { columnsFor, type Column } from '../table.js';
import { openNotedTable, periodContext } from './log-sheet.js';

/**
 * One filterable table, read top to bottom: the total, per source, per reason, per bucket (with its
 * reasons), per day, top principals and source IPs, then which source covered which bucket, and
 * the records that could not be read. The Section column says which block a row belongs to.
 */
interface Row {
  section: string;
  item?: string;
  denied?: number;
  byReason?: Record<DenialReason, number>;
  daysWithRecords?: number;
  daysInPeriod?: number;
  state?: CellInput;
  detail?: string;
  bold?: boolean;
}

const COVERAGE_TONE: Record<CoverageStatement['state'], Tone> = {
  records_every_day: 'good',
  records_some_days: 'warn',
  no_records: 'bad',
};

function columns(w: Wording): Array<Column<Row>> {
  return [
    ...columnsFor<Row>(w, 'deniedUploads', [
      { id: 'section', value: (r) => r.section },
      { id: 'item', value: (r) => r.item },
      { id: 'denied', format: 'count', value: (r) => r.denied },
    ]),
    ...columnsFor<Row>(
      w,
      'deniedUploads',
      DENIAL_REASONS.map((reason) => ({
        id: reason,
        format: 'count' as const,
        value: (r: Row) => r.byReason?.[reason],
      })),
    ),
    ...columnsFor<Row>(w, 'deniedUploads', [
      { id: 'daysWithRecords', format: 'count', value: (r) => r.daysWithRecords },
      { id: 'daysInPeriod', format: 'count', value: (r) => r.daysInPeriod },
      { id: 'state', value: (r) => r.state },
      { id: 'detail', wrap: true, value: (r) => r.detail },
    ]),
  ];
}

function* rowsOf(w: Wording, s: DeniedUploadsCollected): Generator<Row> {
  const t = (key: string, ctx?: Record<string, unknown>) => w.t(`xlsx.logs.${key}`, ctx);
  const section = (key: string) => t(`section.${key}`);

  yield { section: section('total'), item: t('totalItem'), denied: s.total, byReason: s.byReason, bold: true };
  if (s.notItemised)
    yield {
      section: section('total'),
      item: t('notItemisedItem'),
      denied: s.notItemised,
      detail: t('notItemisedDetail'),
    };

  for (const key of ['accessLogs', 'cloudTrail', 'both', 'accessLogsOnly', 'cloudTrailOnly'] as const) {
    const summary =
      key === 'accessLogs' ? s.sources.accessLogs : key === 'cloudTrail' ? s.sources.cloudTrail : undefined;
    let detail: string | undefined;
    if (summary) {
      const source = t(`source.${key === 'accessLogs' ? 'access_logs' : 'cloudtrail'}`);
      detail =
        summary.state === 'read'
          ? t('sourceRead', {
              source,
              files: summary.filesRead,
              records: summary.recordsInPeriod,
              outside: summary.filesOutsidePeriod,
              locations: summary.locations.join(', '),
            })
          : t('sourceNotConfigured', { source });
    }
    yield { section: section('source'), item: t(`bySource.${key}`), denied: s.bySource[key], detail };
  }

  for (const reason of DENIAL_REASONS)
    yield { section: section('reason'), item: w.t(`xlsx.denialReason.${reason}`), denied: s.byReason[reason] };
  for (const b of s.byBucket)
    yield { section: section('bucket'), item: b.bucket, denied: b.count, byReason: b.byReason };
  for (const d of s.perDay) yield { section: section('day'), item: d.day, denied: d.count };

  for (const [key, list] of [
    ['principal', s.topPrincipals],
    ['sourceIp', s.topSourceIps],
  ] as const) {
    for (const n of list.top) yield { section: section(key), item: n.name, denied: n.count };
    if (list.others > 0)
      yield {
        section: section(key),
        item: t('others'),
        denied: list.others,
        detail: t('othersDetail', { distinct: list.distinct }),
      };
  }

  for (const c of s.coverage) {
    yield {
      section: section('coverage'),
      item: t('coverageItem', { source: t(`source.${c.source}`), bucket: c.bucket }),
      daysWithRecords: c.daysWithRecords,
      daysInPeriod: c.daysInPeriod,
      state: { text: t(`coverageState.${c.state}`), tone: COVERAGE_TONE[c.state] },
      detail: t('coverageDetail', { text: c.text, days: c.daysWithout.join(', ') }),
    };
  }

  if (s.skipped.count > 0) {
    yield {
      section: section('skipped'),
      item: t('skippedCount', { count: s.skipped.count }),
      state: { text: t('skippedState'), tone: 'warn' },
    };
    for (const p of s.skipped.samples) {
      yield {
        section: section('skipped'),
        item: t('skippedSample', { file: p.file, line: p.line ?? '' }),
        state: { text: t('skippedState'), tone: 'warn' },
        detail: p.message,
      };
    }
  }
  for (const p of s.problems) {
    yield {
      section: section('problem'),
      item: t('skippedSample', { file: p.file, line: p.line ?? '' }),
      state: p.pastLimit ? { text: t('pastLimitState'), tone: 'warn' } : { text: t('problemState'), tone: 'bad' },
      detail: p.message,
    };
  }
}

export async function addDeniedUploadsSheet(book: Book, w: Wording, p: Packet, csv: string): Promise<void> {
  const s = p.sections.deniedUploads;
  const note =
    s.state === 'collected'
      ? w.t('xlsx.logs.deniedNote', { total: s.total, csv, ...periodContext(s.period) })
      : w.t('xlsx.logs.notCollected', { reason: s.reason });
  const { sheet, table } = await openNotedTable(book, w.t('xlsx.sheets.deniedUploads'), columns(w), note);
  if (s.state === 'collected') for (const row of rowsOf(w, s)) await table.add(row, { bold: row.bold });
  table.finish();
  await sheet.finish();
}
