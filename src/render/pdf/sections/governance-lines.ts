/**
 * The small-print lines for drift and the exceptions register. Drift: the counts against the
 * named baseline, then the most severe items in their own sentences (the packet's summary, with a
 * key shown by its alias and long names shortened in the middle); or, with no baseline, the exact
 * command that approves one. Exceptions: what is open and whose, what expired or is invalid, and
 * what expires within 30 days.
 */
import type { DriftItem, DriftSection, ExceptionRow, ExceptionsSection } from '../../../model/governance-sections.js';
import { measurer } from '../draw.js';
import { formatInstant, formatMonth } from '../format.js';
import { TYPE } from '../layout.js';
import { shortKey } from '../names.js';
import {
  fitEnd,
  fitItems,
  fitMiddle,
  fitsInLines,
  cleanText,
  wrapLines,
  type ItemLine,
  type Measure,
} from '../text-fit.js';
import type { PageContext } from './context.js';
import { moreOn, ownAccounts } from './log-lines.js';

/** Drift items named on the page (one when compact); the workbook has every one. */
const DRIFT_ITEMS = 2;
/** A drift item's sentence may wrap once: its end says what weakened. */
const ITEM_LINES = 2;
/** Share of a line a resource name may keep before the rest of its sentence. */
const NAME_SHARE = 0.45;
/** Widest an approver's name may be when the drift header needs the room. */
const APPROVER_WIDTH = 110;
/** Most names per list tried first; fewer until the line fits. */
const MAX_LIST_ITEMS = 3;

type Compared = Extract<DriftSection, { state: 'compared' }>;
type Evaluated = Extract<ExceptionsSection, { state: 'evaluated' }>;

function measure(ctx: PageContext): Measure {
  return measurer(ctx.doc, TYPE.detail);
}

/** Text wrapped into `maxLines` if it fits whole; undefined if it would be cut. */
function whole(text: string, width: number, maxLines: number, m: Measure): string[] | undefined {
  const clean = cleanText(text);
  return fitsInLines(clean, width, maxLines, m) ? wrapLines(clean, width, maxLines, m) : undefined;
}

/** The name a drift item's resource goes by on the page: a key by its alias where the packet knows one. */
function pageName(ctx: PageContext, item: DriftItem): string {
  if (item.resourceType !== 'key') return item.resource;
  const aliases = new Map(ctx.packet.keys.filter((k) => k.arn && k.alias).map((k) => [k.arn!, k.alias!]));
  return shortKey(item.resource, aliases, ownAccounts(ctx));
}

/**
 * "CRITICAL: <summary>" in at most `maxLines` lines; when it does not fit whole, the resource name
 * is shortened in the middle first, then the sentence is cut at its end.
 */
function driftItemLines(ctx: PageContext, item: DriftItem, width: number, maxLines: number): string[] {
  const m = measure(ctx);
  const name = cleanText(pageName(ctx, item));
  const summary = cleanText(item.summary.split(item.resource).join(name));
  const line = (n: string) =>
    cleanText(
      ctx.t('governance.driftItem', {
        severity: ctx.t(`severity.${item.severity}`),
        summary: summary.split(name).join(n),
      }),
    );
  const full = whole(line(name), width, maxLines, m);
  if (full) return full;
  const short = summary.includes(name) ? fitMiddle(name, Math.min(m(name), width * NAME_SHARE), m) : name;
  return wrapLines(line(short), width, maxLines, m);
}

function comparedLines(ctx: PageContext, s: Compared, width: number, compact: boolean): string[] {
  const m = measure(ctx);
  const { packet } = ctx;
  const base = {
    version: s.baseline.version,
    period: formatMonth(s.baseline.period, ctx.t('format.trendMonthYear'), ctx.t('locale')),
    date: formatInstant(s.baseline.approvedAt, packet.tenant.timeZone, ctx.t('format.date'), ctx.t('locale')),
    ...s.counts,
  };
  const key = s.items.length === 0 ? 'governance.driftNoChange' : 'governance.driftCounts';
  const by = cleanText(s.baseline.approvedBy);
  const header = (name: string) => cleanText(ctx.t(key, { ...base, by: name }));
  const pointed = (name: string) => cleanText(ctx.t('governance.driftPointer', { text: header(name) }));
  // One line: with the pointer to the workbook if it fits, else without; a long approver name gives way first.
  const headerLine =
    whole(pointed(by), width, 1, m) ??
    whole(header(by), width, 1, m) ??
    whole(header(fitEnd(by, APPROVER_WIDTH, m)), width, 1, m) ??
    wrapLines(header(by), width, 1, m);
  // The most severe items (the section lists them most severe first); info stays in the workbook.
  const shown = s.items.filter((i) => i.severity !== 'info').slice(0, compact ? 1 : DRIFT_ITEMS);
  return [...headerLine, ...shown.flatMap((item) => driftItemLines(ctx, item, width, ITEM_LINES))];
}

/**
 * The client reads that there is no baseline, not how an operator approves one: the command is in the
 * workbook's Drift sheet and the terminal.
 */
function noBaselineLines(ctx: PageContext, width: number): string[] {
  return wrapLines(cleanText(ctx.t('governance.noBaseline')), width, 1, measure(ctx));
}

/** `compact`: the page is tight, so one item instead of two. */
export function driftLines(
  ctx: PageContext,
  s: Exclude<DriftSection, { state: 'not_collected' }>,
  width: number,
  compact = false,
): string[] {
  return s.state === 'no_baseline' ? noBaselineLines(ctx, width) : comparedLines(ctx, s, width, compact);
}

/** "a, b +2 more" with at most `limit` items. */
function listOf(ctx: PageContext, items: string[], limit: number): string {
  const shown = items.slice(0, Math.max(1, limit));
  const list = shown.join(ctx.t('logs.itemSeparator'));
  return items.length > shown.length ? `${list} ${ctx.t('logs.more', { count: items.length - shown.length })}` : list;
}

const OPEN: ReadonlySet<ExceptionRow['status']> = new Set(['active', 'expiring_soon', 'unused']);

function unique(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
}

/** The register's state, one part per kind of entry (open, expired, invalid), each list with at most `limit` names. */
function registerStateParts(ctx: PageContext, s: Evaluated, limit: number): string[] {
  const open = s.entries.filter((e) => OPEN.has(e.status));
  const of = (status: ExceptionRow['status']) => s.entries.filter((e) => e.status === status);
  const withOwner = (e: ExceptionRow) =>
    ctx.t('governance.exceptionWithOwner', { id: e.id, owner: e.owner ?? ctx.t('governance.noOwner') });
  const parts: string[] = [];
  if (open.length > 0 || s.entries.length === 0) {
    const unused = of('unused');
    parts.push(
      ctx.t('governance.exceptionsOpen', {
        count: open.length,
        owners: listOf(ctx, unique(open.map((e) => e.owner)), limit),
        // Entries without an owner are counted, never left out of the owners' list silently.
        ownerless: open.filter((e) => !e.owner).length,
        unused: unused.length,
        unusedIds: listOf(
          ctx,
          unused.map((e) => e.id),
          limit,
        ),
      }),
    );
  }
  const expired = of('expired');
  if (expired.length > 0)
    parts.push(
      ctx.t('governance.exceptionsExpired', {
        count: expired.length,
        list: listOf(ctx, expired.map(withOwner), limit),
      }),
    );
  const invalid = of('invalid');
  if (invalid.length > 0)
    parts.push(
      ctx.t('governance.exceptionsInvalid', {
        count: invalid.length,
        list: listOf(
          ctx,
          invalid.map((e) => e.id),
          limit,
        ),
      }),
    );
  return parts;
}

function registerStateText(ctx: PageContext, s: Evaluated, limit: number): string {
  return ctx.t('governance.exceptionsLine', {
    parts: registerStateParts(ctx, s, limit).join(ctx.t('details.paragraphSeparator')),
  });
}

/** The state cut between whole parts, when not even one name per list lets it fit. */
function registerStateCut(ctx: PageContext, s: Evaluated): ItemLine {
  return {
    template: (parts) => ctx.t('governance.exceptionsLine', { parts }),
    items: registerStateParts(ctx, s, 1),
    separator: ctx.t('details.paragraphSeparator'),
    more: moreOn(ctx, 'exceptions'),
  };
}

function expiringItems(ctx: PageContext, s: Evaluated): string[] {
  const byId = new Map(s.entries.map((e) => [e.id, e]));
  return s.expiringWithin30Days.flatMap((id) => {
    const e = byId.get(id);
    return e
      ? [
          ctx.t('governance.expiringItem', {
            id,
            expires: e.expires ?? '',
            owner: e.owner ?? ctx.t('governance.noOwner'),
            days: e.daysLeft ?? 0,
          }),
        ]
      : [];
  });
}

function expiringText(ctx: PageContext, s: Evaluated, limit: number): string {
  const items = expiringItems(ctx, s);
  return items.length > 0
    ? ctx.t('governance.expiring', { count: items.length, list: listOf(ctx, items, limit) })
    : ctx.t('governance.expiringNone');
}

/** The expiring entries cut between whole entries, when not even one lets the line fit. */
function expiringCut(ctx: PageContext, s: Evaluated): ItemLine | undefined {
  const items = expiringItems(ctx, s);
  if (items.length === 0) return undefined;
  return {
    template: (list) => ctx.t('governance.expiring', { count: items.length, list }),
    items,
    separator: ctx.t('logs.itemSeparator'),
    more: moreOn(ctx, 'exceptions'),
  };
}

/**
 * Lines of text that fit `maxLines`, with lists shortened from MAX_LIST_ITEMS names down to one;
 * only when even one name per list does not fit is a second line (`orLines`) taken, then the line is
 * cut between the whole items of `cut`, saying how many it leaves out.
 */
function fitted(
  ctx: PageContext,
  text: (limit: number) => string,
  width: number,
  maxLines: number,
  orLines: number | undefined,
  cut: ItemLine | undefined,
): string[] {
  const m = measure(ctx);
  for (const lines of orLines ? [maxLines, orLines] : [maxLines]) {
    for (let limit = MAX_LIST_ITEMS; limit >= 1; limit--) {
      const out = whole(text(limit), width, lines, m);
      if (out) return out;
    }
  }
  const lines = orLines ?? maxLines;
  return cut ? fitItems(cut, width, lines, m) : wrapLines(cleanText(text(1)), width, lines, m);
}

/**
 * `compact`: the state keeps to one line. `lean` (the fullest page): state and expiries share one line,
 * cut between whole parts ("+1 more — see workbook sheet Exceptions").
 */
export function exceptionLines(
  ctx: PageContext,
  s: Exclude<ExceptionsSection, { state: 'not_collected' }>,
  width: number,
  compact = false,
  lean = false,
): string[] {
  const m = measure(ctx);
  // The register's file is the operator's: the page says whether there is one, not where it lives.
  if (s.state === 'no_register') return wrapLines(cleanText(ctx.t('governance.noRegister')), width, 1, m);
  if (s.entries.length === 0) return wrapLines(cleanText(ctx.t('governance.registerEmpty')), width, 1, m);
  // State and expiries share one line when they fit it; otherwise one line each (two for the state when not compact).
  const joined = (limit: number) =>
    `${registerStateText(ctx, s, limit)}${ctx.t('details.paragraphSeparator')}${expiringText(ctx, s, limit)}`;
  const one = whole(joined(MAX_LIST_ITEMS), width, 1, m);
  if (one) return one;
  if (lean) {
    const cut = registerStateCut(ctx, s);
    const line: ItemLine = { ...cut, items: [...cut.items, expiringText(ctx, s, 1)] };
    return fitItems(line, width, 1, m);
  }
  const state = fitted(
    ctx,
    (limit) => registerStateText(ctx, s, limit),
    width,
    1,
    compact ? undefined : 2,
    registerStateCut(ctx, s),
  );
  return [...state, ...fitted(ctx, (limit) => expiringText(ctx, s, limit), width, 1, undefined, expiringCut(ctx, s))];
}
