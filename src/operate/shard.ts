/**
 * `run --shard i/n`: which tenants one of n parallel runs makes. A tenant's shard depends on its id
 * and n only (the first 8 bytes of sha256(id), modulo n), never on the order or the number of the
 * other tenants: adding or removing a tenant moves no other tenant to another shard.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

export interface Shard {
  /** 1-based: shard 1 of n … shard n of n. */
  index: number;
  count: number;
}

/** Environment variables that carry a 0-based array index, and who sets them. */
const SHARD_INDEX_VARIABLES = [
  { name: 'AWS_BATCH_JOB_ARRAY_INDEX', setBy: 'an AWS Batch array job' },
  { name: 'JOB_COMPLETION_INDEX', setBy: 'a Kubernetes Indexed Job' },
] as const;

/** The most shards a run may be split into: more than enough for any number of tenants a config holds. */
const MAX_SHARDS = 10_000;

const FORM = /^(auto|\d+)\/(\d+)$/;

/** The 0-based index `auto` takes from the environment, or why it cannot. */
function indexFromEnvironment(env: NodeJS.ProcessEnv): number {
  const set = SHARD_INDEX_VARIABLES.filter((v) => env[v.name] !== undefined && env[v.name] !== '');
  if (set.length === 0)
    throw new UsageError(
      `--shard auto/<n> takes its index from ${SHARD_INDEX_VARIABLES.map((v) => `${v.name} (${v.setBy})`).join(' or ')}; neither is set`,
    );
  const values = new Set(set.map((v) => env[v.name]));
  if (values.size > 1)
    throw new UsageError(
      `--shard auto/<n>: ${set.map((v) => `${v.name}=${env[v.name]}`).join(' and ')} disagree; pass --shard <i>/<n> instead`,
    );
  const raw = env[set[0]!.name]!;
  if (!/^\d+$/.test(raw))
    throw new UsageError(`--shard auto/<n>: ${set[0]!.name}="${raw}" is not a 0-based array index`);
  return Number(raw);
}

/**
 * Parses `i/n` (1 ≤ i ≤ n) or `auto/n` (i = the 0-based array index of the environment + 1).
 * Every mistake is a usage error that says what the form is.
 */
export function parseShard(spec: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const m = FORM.exec(spec.trim());
  if (!m)
    throw new UsageError(
      `--shard "${spec}" is not of the form <i>/<n> (shard i of n, 1 ≤ i ≤ n, e.g. 1/4) or auto/<n> (i from ${SHARD_INDEX_VARIABLES.map((v) => v.name).join(' or ')})`,
    );
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS)
    throw new UsageError(`--shard "${spec}": the number of shards must be between 1 and ${MAX_SHARDS}`);
  const auto = m[1] === 'auto';
  const index = auto ? indexFromEnvironment(env) + 1 : Number(m[1]);
  if (index < 1) throw new UsageError(`--shard "${spec}": shards are numbered from 1 (1/${count} … ${count}/${count})`);
  if (index > count)
    throw new UsageError(
      auto
        ? `--shard "${spec}": the array index ${index - 1} is shard ${index}, but there are only ${count} shards`
        : `--shard "${spec}": there is no shard ${index} of ${count} (shards are 1/${count} … ${count}/${count})`,
    );
  return { index, count };
}

/** The 1-based shard a tenant id belongs to among `count`. */
export function shardOf(tenantId: string, count: number): number {
  const digest = createHash('sha256').update(tenantId, 'utf8').digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count)) + 1;
}

/** The tenants of `shard`, in their configured order. */
export function tenantsOfShard<T extends { id: string }>(tenants: readonly T[], shard: Shard): T[] {
  return tenants.filter((t) => shardOf(t.id, shard.count) === shard.index);
}

export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
