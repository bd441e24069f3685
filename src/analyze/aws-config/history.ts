import type { ConfigurationItem } from '../../evidence/aws-config-shapes.js';
import type { FiledRecord } from '../../evidence/record.js';
import type { ConfigChange, ResourceHistory } from '../../model/config-sections.js';
import type { Wording } from '../../wording/wording.js';
import type { TrailEvent } from './authors.js';
import { isoSeconds } from './rule-controls.js';
import { firstByKey, joinKey } from '../lookup.js';
import { readJson } from '../../format/json-keys.js';

/** Codes with which Config says "I have no record of this resource": a state, not a failure to read. */
const NOT_RECORDED_CODES: ReadonlySet<string> = new Set(['ResourceNotDiscoveredException']);

/** What a changed attribute is about, for the reader: S3 supplementary configuration and KMS key fields. */
function attributeLabel(name: string): string {
  const n = name.toLowerCase();
  if (n.includes('encryption')) return 'encryption';
  if (n.includes('publicaccessblock')) return 'public access block';
  if (n.includes('rotation')) return 'rotation';
  if (n.includes('policy')) return 'policy';
  if (['keystate', 'enabled', 'deletiondate', 'pendingdeletionwindowindays'].includes(n)) return 'key state';
  if (n.includes('versioning')) return 'versioning';
  if (n.includes('logging')) return 'logging';
  if (n.includes('tagging') || n === 'tags') return 'tags';
  return name;
}

/** The document a configuration string holds; the text itself when it has no single reading (a key twice) or none. */
function parsed(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const read = readJson(text);
  return 'value' in read ? read.value : text;
}

/** JSON with keys sorted, so a re-ordered but equal document compares equal. */
function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
        : v,
    ) ?? 'undefined'
  );
}

/** Attribute names whose value differs between two items: top-level configuration fields and supplementary entries. */
export function changedAttributes(before: ConfigurationItem, after: ConfigurationItem): string[] {
  const names: string[] = [];
  const a = parsed(before.configuration);
  const b = parsed(after.configuration);
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)]))
      if (canonical(ao[k]) !== canonical(bo[k])) names.push(k);
  } else if (canonical(a) !== canonical(b)) {
    names.push('configuration');
  }
  const sa = before.supplementaryConfiguration ?? {};
  const sb = after.supplementaryConfiguration ?? {};
  for (const k of new Set([...Object.keys(sa), ...Object.keys(sb)]))
    if (canonical(parsed(sa[k])) !== canonical(parsed(sb[k]))) names.push(k);
  return [...new Set(names.map(attributeLabel))].sort();
}

function captureTime(i: ConfigurationItem): string {
  return isoSeconds(i.configurationItemCaptureTime) ?? '';
}

/**
 * The period's changes of one resource, oldest first. An item captured before the period (if Config
 * returned one) is the state the first change is compared with; otherwise the first item has nothing
 * before it to compare.
 */
function changesInPeriod(
  items: ConfigurationItem[],
  period: { startUtc: string; endUtc: string },
  events: Map<string, TrailEvent>,
  w: Wording,
): ConfigChange[] {
  const start = isoSeconds(period.startUtc)!;
  const end = isoSeconds(period.endUtc)!;
  const sorted = [...items].sort(
    (a, b) =>
      captureTime(a).localeCompare(captureTime(b)) ||
      Number(a.configurationStateId ?? 0) - Number(b.configurationStateId ?? 0),
  );
  const changes: ConfigChange[] = [];
  let previous: ConfigurationItem | undefined;
  for (const item of sorted) {
    const time = captureTime(item);
    if (time < start) {
      previous = item;
      continue;
    }
    if (time >= end) break;
    const status = item.configurationItemStatus ?? 'OK';
    let changed: string[] = [];
    let summary: string;
    if (status.startsWith('ResourceDeleted')) summary = w.t('awsConfig.change.deleted');
    else if (!previous && status === 'ResourceDiscovered') summary = w.t('awsConfig.change.created');
    else if (!previous) summary = w.t('awsConfig.change.first');
    else {
      changed = changedAttributes(previous, item);
      summary =
        changed.length > 0
          ? w.t('awsConfig.change.changed', { what: changed.join(', ') })
          : w.t('awsConfig.change.same');
    }
    const eventIds = [...(item.relatedEvents ?? [])];
    const matched = eventIds.map((id) => events.get(id)).find((e) => e !== undefined);
    changes.push({
      time,
      status,
      changed,
      summary,
      author: matched?.principal ?? w.t('awsConfig.unknownAuthor'),
      ...(matched ? { authorEvent: matched.eventName } : {}),
      eventIds,
    });
    previous = item;
  }
  return changes;
}

type HistoryRecord = FiledRecord<{ configurationItems?: ConfigurationItem[] }>;

/**
 * One resource's history row from its GetResourceConfigHistory records: the period's items, and the
 * newest item before the period (`before`), the state the first change is compared with. An
 * unreadable `before` only loses that comparison: the first item then says there is nothing to compare.
 */
export function resourceHistory(
  target: { account: string; region: string; resourceType: string; resourceId: string; resource: string },
  records: { record: HistoryRecord; before?: HistoryRecord },
  period: { startUtc: string; endUtc: string },
  events: Map<string, TrailEvent>,
  w: Wording,
): ResourceHistory {
  const { record, before } = records;
  const base = { ...target, evidence: [record.file, ...(before ? [before.file] : [])] };
  if (record.outcome === 'ok') {
    const start = isoSeconds(period.startUtc)!;
    const earlier =
      before?.outcome === 'ok' ? (before.response.configurationItems ?? []).filter((i) => captureTime(i) < start) : [];
    return {
      ...base,
      state: 'read',
      changes: changesInPeriod([...earlier, ...(record.response.configurationItems ?? [])], period, events, w),
    };
  }
  if (record.outcome === 'not_configured' || NOT_RECORDED_CODES.has(record.error.code)) {
    return {
      ...base,
      state: 'not_recorded',
      reason: w.t('awsConfig.notRecorded', { code: record.error.code }),
      changes: [],
    };
  }
  return {
    ...base,
    state: 'unreadable',
    reason: w.t('awsConfig.unreadable', { code: record.error.code, message: record.error.message }),
    changes: [],
  };
}

/** The first history per account, region, resource type and resource id (keyed by joinKey of the four). */
export function historyByResource(history: readonly ResourceHistory[]): ReadonlyMap<string, ResourceHistory> {
  return firstByKey(history, 'resource', (h) => [joinKey(h.account, h.region, h.resourceType, h.resourceId)]);
}

export function isNotRecorded(record: FiledRecord): boolean {
  return record.outcome !== 'ok' && NOT_RECORDED_CODES.has(record.error.code);
}
