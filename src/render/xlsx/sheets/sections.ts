import type { Book } from '../book.js';
import { DENIAL_REASONS } from '../../../model/log-sections.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import type { Tone } from '../cells.js';
import { columnsFor, writeTable } from '../table.js';

type SectionId = keyof Packet['sections'];
// Fixed order, as the PDF lists them.
const SECTION_ORDER: readonly SectionId[] = ['deniedUploads', 'keyUsage', 'drift', 'awsConfig', 'exceptions', 'trend'];

/** The section's state in words; states without a word of their own read as themselves ("no baseline"). */
function stateWord(w: Wording, state: string): string {
  const key = `xlsx.sectionState.${state}`;
  return w.has(key) ? w.t(key) : state.replace(/_/g, ' ');
}

/** One line per section: its figures when collected, the reason when not. */
function summary(w: Wording, p: Packet, id: SectionId): string {
  const section = p.sections[id];
  if (section.state === 'not_collected') return section.reason;
  const denied = p.sections.deniedUploads;
  if (id === 'deniedUploads' && denied.state === 'collected') {
    const reasons = DENIAL_REASONS.filter((r) => denied.byReason[r] > 0).map(
      (r) => `${denied.byReason[r].toLocaleString('en-US')} ${w.t(`xlsx.denialReason.${r}`)}`,
    );
    const sources = [
      ...(denied.sources.accessLogs.state === 'read'
        ? [`${w.t('xlsx.logs.source.access_logs')} ${denied.bySource.accessLogs.toLocaleString('en-US')}`]
        : []),
      ...(denied.sources.cloudTrail.state === 'read'
        ? [`${w.t('xlsx.logs.source.cloudtrail')} ${denied.bySource.cloudTrail.toLocaleString('en-US')}`]
        : []),
    ];
    return w.t('xlsx.sectionSummary.deniedUploads', {
      total: denied.total,
      reasons: reasons.length > 0 ? reasons.join(', ') : w.t('xlsx.logs.none'),
      buckets: denied.byBucket.length,
      more: denied.notItemised ?? 0,
      sources: sources.join(', '),
    });
  }
  const usage = p.sections.keyUsage;
  if (id === 'keyUsage' && usage.state === 'collected') {
    return w.t('xlsx.sectionSummary.keyUsage', {
      calls: usage.totals.calls,
      keys: usage.keys.length,
      failures: usage.totals.failures,
      unexpected: usage.totals.unexpectedPrincipals,
      events: usage.totals.managementEvents,
    });
  }
  const config = p.sections.awsConfig;
  if (id === 'awsConfig' && config.state === 'collected') return w.t('xlsx.sectionSummary.awsConfig', config.counts);
  return governanceSummary(w, p, id) ?? w.t('xlsx.sectionSummary.other', { state: stateWord(w, section.state), id });
}

/** Drift, exceptions and trend in one line each, pointing at their sheets. */
function governanceSummary(w: Wording, p: Packet, id: SectionId): string | undefined {
  const { drift, exceptions, trend } = p.sections;
  if (id === 'drift' && drift.state === 'compared') {
    const b = drift.baseline;
    return w.t('xlsx.sectionSummary.driftCompared', {
      ...drift.counts,
      version: b.version,
      period: b.period,
      approvedAt: b.approvedAt,
      approvedBy: b.approvedBy,
    });
  }
  if (id === 'drift' && drift.state === 'no_baseline')
    return w.t('xlsx.sectionSummary.driftNoBaseline', { command: drift.command });
  if (id === 'exceptions' && exceptions.state === 'evaluated') {
    const excepted = p.controls.reduce((n, c) => n + c.counts.exception, 0);
    return w.t('xlsx.sectionSummary.exceptionsEvaluated', {
      entries: exceptions.entries.length,
      ...exceptions.counts,
      excepted,
    });
  }
  if (id === 'exceptions' && exceptions.state === 'no_register')
    return w.t('xlsx.sectionSummary.exceptionsNoRegister', { file: exceptions.file });
  if (id === 'trend' && trend.state === 'collected') {
    const count = (state: string) => trend.points.filter((pt) => pt.state === state).length;
    return w.t('xlsx.sectionSummary.trend', {
      months: trend.points.length,
      first: trend.points[0]?.period ?? '',
      last: trend.points[trend.points.length - 1]?.period ?? '',
      present: count('present'),
      missing: count('missing'),
      unreadable: count('unreadable'),
      unverified: count('unverified'),
    });
  }
  return undefined;
}

/** Collected, compared and evaluated sections are green; a missing baseline or register is amber; not collected is grey. */
const STATE_TONE: Record<string, Tone> = {
  collected: 'good',
  compared: 'good',
  evaluated: 'good',
  no_baseline: 'warn',
  no_register: 'warn',
};

export async function addSectionsSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  const name = w.t('xlsx.sheets.sections');
  const columns = columnsFor<SectionId>(w, 'sections', [
    { id: 'section', value: (id) => w.t(`xlsx.sections.${id}`) },
    {
      id: 'state',
      value: (id) => ({
        text: stateWord(w, p.sections[id].state),
        tone: STATE_TONE[p.sections[id].state] ?? 'neutral',
      }),
    },
    { id: 'reason', wrap: true, value: (id) => summary(w, p, id) },
  ]);
  await writeTable(book, name, columns, SECTION_ORDER);
}
