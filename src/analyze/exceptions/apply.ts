/**
 * Apply the exceptions register to control results: an active exception turns its scope's FAIL
 * into EXCEPTION; an expired, ownerless or invalid entry excuses nothing and is a finding itself.
 * Pure: the as-of instant and the tenant's zone are passed in.
 */
import type { ControlResult, KeyResult, ResourceVerdict } from '../../model/packet.js';
import type { Verdict } from '../../model/shared.js';
import type {
  ExceptionFinding,
  ExceptionRow,
  ExceptionsSection,
  ExceptionStatus,
} from '../../model/governance-sections.js';
import type { ExceptionScope } from '../../evidence/exceptions-register.js';
import { CONTROLS } from '../controls/index.js';
import { aggregateVerdict } from '../evaluate-controls.js';
import { daysLeft } from './dates.js';
import type { ExceptionsRegister } from '../../evidence/exceptions-register.js';
import type { RegisterEntry } from '../../evidence/exceptions-register.js';
import type { ExceptionEntry } from '../../evidence/exceptions-register.js';

const EXPIRING_WITHIN_DAYS = 30;

export interface ApplyOptions {
  /** ISO-8601 instant the register is judged at (the run's time, for reproducible packets). */
  asOf: string;
  /** The tenant's IANA zone: expiry dates are days in this zone. */
  timeZone: string;
  /** The packet's keys, so a key-ARN scope matches a key listed by its alias. */
  keys?: KeyResult[];
  /** Which controls judge buckets and which keys (default: CONTROLS). */
  controlScopes?: ReadonlyMap<string, 'buckets' | 'keys' | 'tables' | 'directory buckets'>;
  /**
   * Whether a bucket's failure of a control lies wholly under a prefix. Without this answer a
   * prefix-scoped exception cannot narrow a bucket-wide FAIL, so the FAIL stands.
   */
  failureWithinPrefix?: (controlId: string, bucket: string, prefix: string) => boolean;
  /** Re-words a control's summary after its counts changed (the packet's wording lives in templates). */
  summarise?: (control: ControlResult) => string;
}

export interface AppliedExceptions {
  controls: ControlResult[];
  section: ExceptionsSection;
  findings: ExceptionFinding[];
}

const REGISTER_CONTROL_ID = 'exceptions-register';

function scopeText(scope: ExceptionScope | undefined): string {
  if (!scope) return '(unknown scope)';
  if ('key' in scope) return `key ${scope.key}`;
  return scope.prefix ? `bucket ${scope.bucket} prefix ${scope.prefix}` : `bucket ${scope.bucket}`;
}

function resourceName(scope: ExceptionScope | undefined, file: string): string {
  if (!scope) return file;
  if ('key' in scope) return scope.key;
  return scope.prefix ? `${scope.bucket}/${scope.prefix}` : scope.bucket;
}

/** The names a key may carry in control results: ARN, alias, reference. */
function namesOfKey(arn: string, keys: KeyResult[]): Set<string> {
  const names = new Set([arn]);
  for (const k of keys) {
    if (k.arn !== arn) continue;
    names.add(k.reference);
    if (k.alias) names.add(k.alias);
  }
  return names;
}

function recount(
  control: ControlResult,
  resources: ResourceVerdict[],
  summarise?: (c: ControlResult) => string,
): ControlResult {
  const counts: Record<Verdict, number> = { pass: 0, fail: 0, not_evaluated: 0, not_applicable: 0, exception: 0 };
  for (const r of resources) counts[r.verdict]++;
  const updated = { ...control, resources, counts, verdict: aggregateVerdict(counts, resources.length) };
  return summarise ? { ...updated, summary: summarise(updated) } : updated;
}

interface Judged {
  row: ExceptionRow;
  entry?: ExceptionEntry;
  usable: boolean;
}

function judge(
  e: RegisterEntry,
  opts: ApplyOptions,
  scopes: ReadonlyMap<string, 'buckets' | 'keys' | 'tables' | 'directory buckets'>,
): Judged {
  const f = e.fields;
  const problems = [...e.problems];
  const entry = e.entry;
  if (entry) {
    const scope = scopes.get(entry.control);
    // A directory bucket is named as a bucket in the register.
    const judges = scope === 'directory buckets' ? 'buckets' : scope;
    const names = 'key' in entry.scope ? 'keys' : 'buckets';
    if (judges && judges !== names)
      problems.push(
        `control ${entry.control} judges ${judges}, but the scope names a ${names === 'keys' ? 'key' : 'bucket'}`,
      );
  }
  const left =
    f.expires && /^\d{4}-\d{2}-\d{2}$/.test(f.expires) ? daysLeft(f.expires, opts.asOf, opts.timeZone) : undefined;
  const row: ExceptionRow = {
    id: e.id,
    ...(f.scope ? { scope: f.scope } : {}),
    ...(f.control ? { control: f.control } : {}),
    ...(f.reason ? { reason: f.reason } : {}),
    ...(f.owner ? { owner: f.owner } : {}),
    ...(f.ticket ? { ticket: f.ticket } : {}),
    ...(f.approvedBy ? { approvedBy: f.approvedBy } : {}),
    ...(f.expires ? { expires: f.expires } : {}),
    status: 'invalid',
    ...(left !== undefined ? { daysLeft: left } : {}),
    appliedTo: [],
    problems,
  };
  const usable = entry !== undefined && problems.length === 0 && left !== undefined && left >= 0;
  return { row, ...(entry ? { entry } : {}), usable };
}

const PREFIX_NOTE = 'covers prefix ';

function statusOf(j: Judged): ExceptionStatus {
  // A prefix note explains why an otherwise valid entry went unused; it does not make it invalid.
  const blocking = j.row.problems.filter((p) => !p.startsWith(PREFIX_NOTE));
  if (!j.entry || blocking.length > 0 || j.row.daysLeft === undefined) return 'invalid';
  if (j.row.daysLeft < 0) return 'expired';
  if (j.row.appliedTo.length === 0) return 'unused';
  return j.row.daysLeft <= EXPIRING_WITHIN_DAYS ? 'expiring_soon' : 'active';
}

function findingFor(j: Judged, file: string): ExceptionFinding | undefined {
  const { row } = j;
  const subject = `Exception ${row.id}${row.control ? ` for ${row.control}` : ''} on ${scopeText(row.scope)}`;
  const base = {
    controlId: j.entry ? j.entry.control : REGISTER_CONTROL_ID,
    resource: resourceName(row.scope, file),
    evidence: [file],
  };
  if (row.status === 'expired') {
    return {
      ...base,
      severity: 'high',
      text: `${subject} expired on ${row.expires} (owner ${row.owner}, ticket ${row.ticket}); it no longer excuses anything.`,
    };
  }
  if (row.status !== 'invalid') return undefined;
  const ownerless = row.owner === undefined;
  const why = ownerless ? 'has no owner' : 'is invalid';
  const detail = row.problems.filter((p) => !/\.owner: missing/.test(p)).join('; ');
  return {
    ...base,
    severity: 'medium',
    text: `${subject} ${why}${ownerless && detail ? ' and is invalid' : ''}, so it excuses nothing${detail ? `: ${detail}` : ''}.`,
  };
}

export function applyExceptions(
  controls: ControlResult[],
  register: ExceptionsRegister,
  opts: ApplyOptions,
): AppliedExceptions {
  if (!register.exists) return { controls, section: { state: 'no_register', file: register.file }, findings: [] };
  const scopes = opts.controlScopes ?? new Map(CONTROLS.map((c) => [c.id, c.scope]));
  const judged = register.entries.map((e) => judge(e, opts, scopes));

  const updated = controls.map((control) => {
    let changed = false;
    const resources = control.resources.map((r) => {
      if (r.verdict !== 'fail') return r;
      for (const j of judged) {
        const e = j.entry;
        if (!j.usable || !e || e.control !== control.id) continue;
        if ('key' in e.scope) {
          if (!namesOfKey(e.scope.key, opts.keys ?? []).has(r.resource)) continue;
        } else {
          if (e.scope.bucket !== r.resource) continue;
          if (
            e.scope.prefix !== undefined &&
            opts.failureWithinPrefix?.(control.id, e.scope.bucket, e.scope.prefix) !== true
          ) {
            const note = `${PREFIX_NOTE}${e.scope.prefix} only; the FAIL of ${r.resource} is not shown to lie within it, so it stands`;
            if (!j.row.problems.includes(note)) j.row.problems.push(note);
            continue;
          }
        }
        j.row.appliedTo.push(r.resource);
        changed = true;
        return {
          ...r,
          verdict: 'exception' as const,
          reason: `${r.reason} — excepted by ${e.id} (owner ${e.owner}, ticket ${e.ticket}, until ${e.expires})`,
        };
      }
      return r;
    });
    return changed ? recount(control, resources, opts.summarise) : control;
  });

  for (const j of judged) j.row.status = statusOf(j);
  const rows = judged.map((j) => j.row);
  const counts: Record<ExceptionStatus, number> = { active: 0, expired: 0, expiring_soon: 0, unused: 0, invalid: 0 };
  for (const r of rows) counts[r.status]++;
  const expiring = rows
    .filter(
      (r) =>
        r.status !== 'invalid' &&
        r.status !== 'expired' &&
        r.daysLeft !== undefined &&
        r.daysLeft <= EXPIRING_WITHIN_DAYS,
    )
    .sort((a, b) => a.daysLeft! - b.daysLeft! || a.id.localeCompare(b.id))
    .map((r) => r.id);
  const findings = judged
    .map((j) => findingFor(j, register.file))
    .filter((f): f is ExceptionFinding => f !== undefined);
  return {
    controls: updated,
    section: {
      state: 'evaluated',
      file: register.file,
      asOf: opts.asOf,
      timeZone: opts.timeZone,
      counts,
      entries: rows,
      expiringWithin30Days: expiring,
    },
    findings,
  };
}
