/**
 * Summaries of the log sections for the small print, two lines each: denied uploads (count, per
 * source, top buckets; then which source covered which buckets) and key usage (calls and unexpected
 * principals; then key-management events). Each line is built for a number of names per list, so
 * the caller can shrink the lists until it fits, and every list that is cut says "+N more". A paragraph
 * that does not fit even with one name per list is cut between whole items (its `cut`), and says how
 * many it leaves out and on which workbook sheet they are.
 */
import type {
  CoverageStatement,
  DeniedUploadsCollected,
  KeyUsageCollected,
  LogSourceId,
} from '../../../model/log-sections.js';
import type { KeyManagementEvent } from '../../../model/log-sections.js';
import { measurer } from '../draw.js';
import { formatInstant } from '../format.js';
import { TYPE } from '../layout.js';
import { shortKey, shortPrincipal } from '../names.js';
import { fitMiddle, cleanText, type ItemLine } from '../text-fit.js';
import type { PageContext } from './context.js';

/** Text for the small print and the most lines it may wrap to. */
export interface Paragraph {
  text: string;
  maxLines: number;
  /** Its top-level list, to cut between whole items when the text does not fit even with one name per list. */
  cut?: ItemLine;
}

/** Names shown, at most, when a paragraph is cut between whole items. */
const CUT_ITEMS = 3;

/** "+3 more — see workbook sheet Denied uploads": what a cut leaves out and where it is. */
export function moreOn(ctx: PageContext, sheet: string): (count: number) => string {
  return (count) => ctx.t(`details.more.${sheet}`, { count });
}

/** Widest a single name (bucket, principal) may be inside a summary: narrower as lists shrink. */
const nameMaxWidth = (limit: number) => 60 + 25 * Math.min(3, Math.max(1, limit));

/** Key changes that matter most come first; the rest follow in time order. */
const EVENT_WEIGHT: Record<string, number> = {
  ScheduleKeyDeletion: 0,
  DeleteKey: 0,
  DisableKey: 1,
  DisableKeyRotation: 2,
  PutKeyPolicy: 3,
  DeleteImportedKeyMaterial: 3,
  CreateGrant: 4,
};

function nameFitter(ctx: PageContext, limit: number): (name: string) => string {
  const measure = measurer(ctx.doc, TYPE.detail);
  return (name) => fitMiddle(cleanText(name), nameMaxWidth(limit), measure);
}

/** "a, b +3 more" with at most `limit` items shown; only those are worded, however long the list. */
function listOf<T>(ctx: PageContext, items: readonly T[], limit: number, word: (item: T) => string): string {
  const shown = items.slice(0, Math.max(1, limit)).map(word);
  const rest = items.length - shown.length;
  const list = shown.join(ctx.t('logs.itemSeparator'));
  return rest > 0 ? `${list} ${ctx.t('logs.more', { count: rest })}` : list;
}

export function ownAccounts(ctx: PageContext): Set<string> {
  const { packet } = ctx;
  return new Set([...packet.buckets.map((b) => b.account), ...packet.keys.map((k) => k.account)]);
}

function coverageOf(ctx: PageContext, source: LogSourceId, statements: CoverageStatement[], limit: number): string {
  const label = ctx.t(`logs.source.${source}`);
  const name = nameFitter(ctx, limit);
  const mine = statements.filter((s) => s.source === source);
  if (mine.length === 0) return ctx.t('logs.coverage.noBuckets', { source: label });
  const days = mine[0]?.daysInPeriod ?? 0;
  const full = mine.filter((s) => s.state === 'records_every_day').length;
  const some = mine.filter((s) => s.state === 'records_some_days');
  const none = mine.filter((s) => s.state === 'no_records');
  const gaps: string[] = [];
  if (some.length > 0) {
    gaps.push(
      listOf(ctx, some, limit, (s) =>
        ctx.t('logs.coverage.someDays', { bucket: name(s.bucket), have: s.daysWithRecords, days: s.daysInPeriod }),
      ),
    );
  }
  if (none.length > 0)
    gaps.push(ctx.t(`logs.coverage.noneFor.${source}`, { buckets: listOf(ctx, none, limit, (s) => name(s.bucket)) }));
  const gapText = gaps.join(ctx.t('logs.itemSeparator'));
  if (full === mine.length) return ctx.t('logs.coverage.all', { source: label, days, buckets: mine.length });
  if (full === 0) return ctx.t('logs.coverage.onlyGaps', { source: label, gaps: gapText });
  return ctx.t('logs.coverage.partial', { source: label, days, full, buckets: mine.length, gaps: gapText });
}

/** Denied uploads: merged count, per-source counts and top buckets; then each source's coverage. */
export function deniedUploadsLines(ctx: PageContext, s: DeniedUploadsCollected, limit: number): Paragraph[] {
  const name = nameFitter(ctx, limit);
  const sourceCounts: string[] = [];
  if (s.sources.accessLogs.state === 'read')
    sourceCounts.push(
      ctx.t('logs.sourceCount', { source: ctx.t('logs.source.access_logs'), count: s.bySource.accessLogs }),
    );
  if (s.sources.cloudTrail.state === 'read')
    sourceCounts.push(
      ctx.t('logs.sourceCount', { source: ctx.t('logs.source.cloudtrail'), count: s.bySource.cloudTrail }),
    );
  if (s.sources.accessLogs.state === 'read' && s.sources.cloudTrail.state === 'read')
    sourceCounts.push(ctx.t('logs.bothCount', { count: s.bySource.both }));
  const coverage: string[] = [];
  const bothEveryDay =
    s.sources.accessLogs.state === 'read' &&
    s.sources.cloudTrail.state === 'read' &&
    s.coverage.length > 0 &&
    s.coverage.every((c) => c.state === 'records_every_day');
  if (bothEveryDay) {
    const buckets = s.coverage.filter((c) => c.source === 'cloudtrail').length;
    coverage.push(
      ctx.t('logs.coverage.all', {
        source: ctx.t('logs.source.both'),
        days: s.coverage[0]?.daysInPeriod ?? 0,
        buckets,
      }),
    );
  } else {
    for (const [source, summary] of [
      ['access_logs', s.sources.accessLogs],
      ['cloudtrail', s.sources.cloudTrail],
    ] as const) {
      coverage.push(
        summary.state === 'read'
          ? coverageOf(ctx, source, s.coverage, limit)
          : ctx.t('logs.coverage.notConfigured', { source: ctx.t(`logs.source.${source}`) }),
      );
    }
  }
  const bucketCount = (b: DeniedUploadsCollected['byBucket'][number]) =>
    ctx.t('logs.bucketCount', { bucket: name(b.bucket), count: b.count });
  const deniedText = (buckets: string) =>
    ctx.t(
      s.notItemised ? 'details.deniedValueNotItemised' : s.total === 0 ? 'details.deniedNone' : 'details.deniedValue',
      {
        total: s.total,
        more: s.notItemised ?? 0,
        buckets,
        sources: sourceCounts.join(ctx.t('logs.itemSeparator')),
      },
    );
  const coverageText = (list: string) => ctx.t('details.deniedCoverage', { coverage: list });
  return [
    {
      // Two buckets at most: the page names where it happened, the workbook has the full list.
      text: deniedText(listOf(ctx, s.byBucket, Math.min(limit, 2), bucketCount)),
      maxLines: 1,
      cut: {
        template: deniedText,
        items: s.byBucket.slice(0, 2).map(bucketCount),
        total: s.byBucket.length,
        separator: ctx.t('logs.itemSeparator'),
        more: moreOn(ctx, 'deniedUploads'),
      },
    },
    // Gaps in coverage are missing evidence: they get a second line rather than an ellipsis.
    {
      text: coverageText(coverage.join(ctx.t('logs.sourceSeparator'))),
      maxLines: 2,
      cut: {
        template: coverageText,
        items: coverage,
        separator: ctx.t('logs.sourceSeparator'),
        more: moreOn(ctx, 'deniedUploads'),
      },
    },
  ];
}

function sortedEvents(
  events: Array<KeyManagementEvent & { keyArn: string }>,
): Array<KeyManagementEvent & { keyArn: string }> {
  const weight = (e: KeyManagementEvent) => EVENT_WEIGHT[e.eventName] ?? 9;
  return [...events].sort((a, b) => weight(a) - weight(b) || (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

/** Key usage: calls, failures and unexpected principals by name; then key-management events with who and when. */
export function keyUsageLines(ctx: PageContext, s: KeyUsageCollected, limit: number): Paragraph[] {
  const { packet } = ctx;
  const own = ownAccounts(ctx);
  const name = nameFitter(ctx, limit);
  const aliases = new Map(packet.keys.filter((k) => k.arn && k.alias).map((k) => [k.arn!, k.alias!]));
  const keyName = (arn: string) => name(shortKey(arn, aliases, own));
  // With one key, naming it once up front is enough; with several, each item says which.
  const single = s.keys.length === 1 ? s.keys[0] : undefined;
  const itemKey = (arn: string) => (single ? '' : keyName(arn));
  const who = (principal: string) => name(shortPrincipal(principal, own));

  const unexpected = s.keys.flatMap((k) => k.unexpectedPrincipals.map((u) => ({ ...u, keyArn: k.keyArn })));
  const unexpectedItem = (u: (typeof unexpected)[number]) =>
    ctx.t('logs.unexpectedItem', {
      principal: who(u.principal),
      key: itemKey(u.keyArn),
      calls: u.calls,
      operations: u.operations.join('/'),
    });
  const unchecked = s.keys.filter((k) => !k.expectationConfigured).length;
  const principalsWith = (list: string) => {
    if (s.keys.length > 0 && unchecked === s.keys.length) return ctx.t('logs.unexpectedNotChecked');
    const principals =
      unexpected.length > 0
        ? ctx.t('logs.unexpected', { count: unexpected.length, list })
        : ctx.t('logs.unexpectedNone');
    return unchecked > 0 ? principals + ctx.t('logs.uncheckedKeys', { count: unchecked }) : principals;
  };

  const events = sortedEvents(s.keys.flatMap((k) => k.managementEvents.map((e) => ({ ...e, keyArn: k.keyArn }))));
  const locale = ctx.t('locale');
  const eventItem = (e: (typeof events)[number]) =>
    ctx.t('logs.eventItem', {
      event: e.eventName,
      key: itemKey(e.keyArn),
      principal: who(e.principal),
      day: formatInstant(e.time, packet.tenant.timeZone, ctx.t('format.day'), locale),
      error: e.errorCode ?? '',
    });
  const changesWith = (list: string) =>
    events.length > 0 ? ctx.t('logs.events', { count: events.length, list }) : ctx.t('logs.eventsNone');
  const usageWith = (list: string) =>
    ctx.t('details.keyUsageValue', {
      calls: s.totals.calls,
      keys: single ? keyName(single.keyArn) : ctx.t('logs.keyCount', { count: s.keys.length }),
      failures: s.totals.failures,
      principals: principalsWith(list),
    });
  return [
    {
      text: usageWith(listOf(ctx, unexpected, limit, unexpectedItem)),
      // Unexpected principals are the point of this row: a second line before any is cut.
      maxLines: 2,
      cut: {
        template: usageWith,
        items: unexpected.slice(0, CUT_ITEMS).map(unexpectedItem),
        total: unexpected.length,
        separator: ctx.t('logs.itemSeparator'),
        more: moreOn(ctx, 'keyUsage'),
      },
    },
    {
      text: changesWith(listOf(ctx, events, limit, eventItem)),
      maxLines: 2,
      cut: {
        template: changesWith,
        items: events.slice(0, CUT_ITEMS).map(eventItem),
        total: events.length,
        separator: ctx.t('logs.itemSeparator'),
        more: moreOn(ctx, 'keyEvents'),
      },
    },
  ];
}
