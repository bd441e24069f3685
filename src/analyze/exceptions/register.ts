/**
 * The exceptions register of one tenant (YAML): what is knowingly out of policy, who owns it, why,
 * under which ticket, approved by whom, until when.
 *
 *   tenant: acme            # optional; when present it must be the tenant's id
 *   exceptions:
 *     - id: EX-001          # optional; "EX-<n>" by position otherwise
 *       scope: { bucket: acme-legacy-archive, prefix: "2019/" }   # or { key: arn:aws:kms:… }
 *       control: s3-objects-encrypted
 *       reason: Legacy archive, migration planned in Q1
 *       owner: jane.doe@acme.example
 *       ticket: SEC-1234
 *       approvedBy: CISO
 *       expires: 2026-12-31 # active through the end of that day in the tenant's time zone
 *
 * A file that is not YAML or not of this shape is an error naming the file. An entry that breaks
 * the schema (unknown control, bad date, missing field) is kept as an invalid entry naming the
 * file and field: it excuses nothing and is itself a finding. A missing owner is not a schema
 * error but makes the entry invalid too: an exception nobody owns is not governed.
 */
import { DateTime } from 'luxon';
import { parse } from 'yaml';
import { z } from 'zod';
import { CONTROLS } from '../controls/index.js';
import type { ExceptionScope } from '../../evidence/exceptions-register.js';
import type { ExceptionEntry, ExceptionsRegister, RegisterEntry } from '../../evidence/exceptions-register.js';

export class ExceptionsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExceptionsFileError';
  }
}

const text = z.string().trim().min(1, 'must be a non-empty string');

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const scopeSchema = z
  .strictObject({
    bucket: text.optional(),
    prefix: z.string().min(1, 'must be a non-empty string').optional(),
    key: text.optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.bucket === undefined) === (s.key === undefined))
      ctx.addIssue({ code: 'custom', message: 'must name exactly one of bucket or key' });
    if (s.prefix !== undefined && s.bucket === undefined)
      ctx.addIssue({ code: 'custom', path: ['prefix'], message: 'is only allowed with a bucket' });
    if (s.key !== undefined && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/.test(s.key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['key'],
        message: 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
      });
    }
  });

function entrySchema(controlIds: readonly string[]) {
  return z.strictObject({
    id: text.optional(),
    scope: scopeSchema,
    control: z.string().superRefine((c, ctx) => {
      if (!controlIds.includes(c))
        ctx.addIssue({ code: 'custom', message: `unknown control id "${c}" (known: ${controlIds.join(', ')})` });
    }),
    reason: text,
    owner: z.string().optional(),
    ticket: text,
    approvedBy: text,
    expires: z
      .string('must be a date YYYY-MM-DD')
      .refine(
        (d) => DATE.test(d) && DateTime.fromISO(d, { zone: 'UTC' }).isValid,
        'must be a calendar date YYYY-MM-DD',
      ),
  });
}

const fileSchema = z.strictObject({
  tenant: z.string().optional(),
  exceptions: z.array(z.unknown()).default([]),
});

function issuePath(index: number, path: ReadonlyArray<PropertyKey>): string {
  return [`exceptions[${index}]`, ...path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
    .join('.')
    .replace(/\.\[/g, '[');
}

/** Display fields of a broken entry: whatever is a string in it. */
function readableFields(raw: unknown): Partial<ExceptionEntry> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const r = raw as Record<string, unknown>;
  const str = (k: string) => (typeof r[k] === 'string' ? { [k]: r[k] } : {});
  const scope = r['scope'];
  const scopeFields =
    typeof scope === 'object' && scope !== null
      ? typeof (scope as Record<string, unknown>)['key'] === 'string'
        ? { scope: { key: String((scope as Record<string, unknown>)['key']) } }
        : typeof (scope as Record<string, unknown>)['bucket'] === 'string'
          ? { scope: { bucket: String((scope as Record<string, unknown>)['bucket']) } }
          : {}
      : {};
  return {
    ...str('id'),
    ...str('control'),
    ...str('reason'),
    ...str('owner'),
    ...str('ticket'),
    ...str('approvedBy'),
    ...str('expires'),
    ...scopeFields,
  };
}

/** Pure: the register text of `file` in, entries out. */
export function parseExceptions(
  source: string,
  file: string,
  opts: { tenant?: string; controlIds?: readonly string[] } = {},
): ExceptionsRegister {
  let doc: unknown;
  try {
    doc = parse(source);
  } catch (err) {
    throw new ExceptionsFileError(`${file}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (doc === null || doc === undefined) return { file, exists: true, entries: [] };
  const top = fileSchema.safeParse(doc);
  if (!top.success) {
    const issue = top.error.issues[0]!;
    throw new ExceptionsFileError(
      `${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}; expected a map with an "exceptions" list`,
    );
  }
  if (opts.tenant !== undefined && top.data.tenant !== undefined && top.data.tenant !== opts.tenant) {
    throw new ExceptionsFileError(
      `${file}: tenant: the register is of tenant "${top.data.tenant}", not "${opts.tenant}"`,
    );
  }
  const schema = entrySchema(opts.controlIds ?? CONTROLS.map((c) => c.id));
  const seen = new Set<string>();
  const entries = top.data.exceptions.map((raw, index): RegisterEntry => {
    const fallbackId = `EX-${String(index + 1).padStart(3, '0')}`;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const fields = readableFields(raw);
      return {
        index,
        id: fields.id ?? fallbackId,
        fields,
        problems: parsed.error.issues.map((i) => `${file}: ${issuePath(index, i.path)}: ${i.message}`),
        ownerless: !fields.owner?.trim(),
      };
    }
    const d = parsed.data;
    const scope: ExceptionScope =
      d.scope.key !== undefined
        ? { key: d.scope.key }
        : { bucket: d.scope.bucket!, ...(d.scope.prefix !== undefined ? { prefix: d.scope.prefix } : {}) };
    const owner = d.owner?.trim();
    const entry: ExceptionEntry = {
      id: d.id ?? fallbackId,
      scope,
      control: d.control,
      reason: d.reason,
      ...(owner ? { owner } : {}),
      ticket: d.ticket,
      approvedBy: d.approvedBy,
      expires: d.expires,
    };
    const problems: string[] = [];
    if (seen.has(entry.id))
      problems.push(`${file}: ${issuePath(index, ['id'])}: "${entry.id}" is used by an earlier entry`);
    seen.add(entry.id);
    if (!owner) problems.push(`${file}: ${issuePath(index, ['owner'])}: missing; an exception needs an owner`);
    return { index, id: entry.id, fields: entry, entry, problems, ownerless: !owner };
  });
  return { file, exists: true, entries };
}
