/**
 * Approved baselines of one tenant: numbered, immutable versions (v0001.json, v0002.json, …).
 * A version is only ever created, never rewritten; earlier ones stay as the history.
 * The store sits on a tiny backend (list / read / create-if-absent) so a folder today and an
 * s3:// prefix later (PutObject with If-None-Match: *) serve the same store.
 */
import { z } from 'zod';
import { sha256 } from '../util/hash.js';
import {
  BASELINE_FORMAT_VERSION,
  SNAPSHOT_VERSION,
  type BaselineSnapshot,
  type StoredBaseline,
} from '../evidence/baseline-snapshot.js';

type BaselineSummary = Omit<StoredBaseline, 'snapshot'>;

/** Where the version files live. `create` must fail with BaselineExistsError when the name is taken. */
export interface BaselineBackend {
  /** Human-readable location, for messages. */
  readonly location: string;
  listNames(): Promise<string[]>;
  read(name: string): Promise<string>;
  create(name: string, text: string): Promise<void>;
}

export class BaselineExistsError extends Error {
  constructor(readonly location: string) {
    super(`${location} already exists; baselines are never overwritten`);
    this.name = 'BaselineExistsError';
  }
}

export class BaselineFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineFileError';
  }
}

interface ApproveArgs {
  tenant: string;
  period: string;
  by: string;
  reason: string;
  evidenceSha256: string;
  evidenceBasis?: string;
  snapshot: BaselineSnapshot;
  now: Date;
}

export interface BaselineStore {
  readonly location: string;
  /** Writes the next version; refuses if that version already exists. */
  approve(args: ApproveArgs): Promise<StoredBaseline>;
  /** The highest version, or undefined when none was ever approved. */
  latest(): Promise<StoredBaseline | undefined>;
  /** Every version, oldest first, without snapshots. */
  list(): Promise<BaselineSummary[]>;
  read(version: number): Promise<StoredBaseline>;
}

const VERSION_FILE = /^v(\d{4,})\.json$/;

export function versionFileName(version: number): string {
  return `v${String(version).padStart(4, '0')}.json`;
}

const storedSchema = z.object({
  formatVersion: z.literal(BASELINE_FORMAT_VERSION),
  version: z.number().int().positive(),
  tenant: z.string().min(1),
  period: z.string().regex(/^\d{4}-\d{2}$/),
  approvedBy: z.string().min(1),
  approvedAt: z.string().min(1),
  reason: z.string().min(1),
  evidenceSha256: z.string().regex(/^[0-9a-f]{64}$/),
  evidenceBasis: z.string().optional(),
  snapshotSha256: z.string().regex(/^[0-9a-f]{64}$/),
  snapshot: z.looseObject({
    snapshotVersion: z.literal(SNAPSHOT_VERSION),
    tenant: z.string(),
    buckets: z.array(z.unknown()),
    keys: z.array(z.unknown()),
  }),
});

function snapshotHash(snapshot: BaselineSnapshot): string {
  return sha256(JSON.stringify(snapshot));
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseStoredBaseline(text: string, where: string, expectedVersion?: number): StoredBaseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BaselineFileError(`${where}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = storedSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BaselineFileError(`${where}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const stored = raw as StoredBaseline;
  if (expectedVersion !== undefined && stored.version !== expectedVersion) {
    throw new BaselineFileError(`${where}: holds version ${stored.version}, its name says ${expectedVersion}`);
  }
  if (snapshotHash(stored.snapshot) !== stored.snapshotSha256) {
    throw new BaselineFileError(
      `${where}: the snapshot does not match its recorded sha256; the file was changed after approval`,
    );
  }
  return stored;
}

export function baselineStore(backend: BaselineBackend): BaselineStore {
  async function versions(): Promise<number[]> {
    const names = await backend.listNames();
    return names
      .map((n) => VERSION_FILE.exec(n)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  async function read(version: number): Promise<StoredBaseline> {
    const name = versionFileName(version);
    return parseStoredBaseline(await backend.read(name), `${backend.location}/${name}`, version);
  }

  return {
    location: backend.location,
    read,
    async latest() {
      const last = (await versions()).at(-1);
      return last === undefined ? undefined : read(last);
    },
    async list() {
      const out: BaselineSummary[] = [];
      for (const v of await versions()) {
        const { snapshot: _snapshot, ...summary } = await read(v);
        out.push(summary);
      }
      return out;
    },
    async approve(args) {
      if (args.snapshot.tenant !== args.tenant) {
        throw new BaselineFileError(`the snapshot is of tenant "${args.snapshot.tenant}", not "${args.tenant}"`);
      }
      if (args.by.trim() === '' || args.reason.trim() === '')
        throw new BaselineFileError('an approval needs who (--by) and why (--reason)');
      const version = ((await versions()).at(-1) ?? 0) + 1;
      const stored: StoredBaseline = {
        formatVersion: BASELINE_FORMAT_VERSION,
        version,
        tenant: args.tenant,
        period: args.period,
        approvedBy: args.by.trim(),
        approvedAt: isoSeconds(args.now),
        reason: args.reason.trim(),
        evidenceSha256: args.evidenceSha256,
        ...(args.evidenceBasis ? { evidenceBasis: args.evidenceBasis } : {}),
        snapshotSha256: snapshotHash(args.snapshot),
        snapshot: args.snapshot,
      };
      await backend.create(versionFileName(version), `${JSON.stringify(stored, null, 2)}\n`);
      return stored;
    },
  };
}
