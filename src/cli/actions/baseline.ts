/**
 * `s3-evidence baseline approve|list`: the only way a tenant's approved baseline is created.
 * Approve reads a packet folder's evidence, snapshots the governed state and stores it as the
 * next immutable version, with who, when, why and the hash of the evidence approved.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { diffSnapshots } from '../../analyze/drift/index.js';
import {
  BaselineExistsError,
  BaselineFileError,
  baselineStore,
  folderBackend,
  versionFileName,
  type BaselineStore,
} from '../../baseline/index.js';
import { isPeriodLabel } from '../../config/period.js';
import { evidencePaths, loadEvidence } from '../../evidence/evidence-store.js';
import { EvidenceReadError } from '../../evidence/read-evidence.js';
import { UsageError } from '../../errors.js';
import { approvePacketEvidence } from '../../baseline/approve-packet.js';
import { loadConfig } from '../../config/load.js';
import { DEFAULT_BASELINE_DIR, DEFAULT_CONFIG_FILE } from '../defaults.js';

export interface BaselineCommandDeps {
  /** Wall clock for the approval time. */
  now?: () => Date;
  write?: (text: string) => void;
  /** The store of one tenant's folder; replaceable (an s3:// backend later, fakes in tests). */
  storeFor?: (tenantDir: string) => BaselineStore;
}

export interface ApproveOptions {
  tenant: string;
  period?: string;
  by: string;
  reason: string;
  out: string;
  baselineDir: string;
  json?: boolean;
}

export interface FolderOptions {
  config?: string;
  baselineDir?: string;
}

/**
 * The baseline folder: --baseline-dir when given, else the configuration's `baselineDir` (the default
 * configuration when it exists), else config/baseline/. A tenant the configuration does not name is refused.
 */
export async function baselineDirFor(opts: FolderOptions, tenant: string): Promise<string> {
  if (opts.baselineDir !== undefined) return opts.baselineDir;
  const file = opts.config ?? DEFAULT_CONFIG_FILE;
  if (opts.config === undefined && !(await exists(file))) return DEFAULT_BASELINE_DIR;
  const { config } = await loadConfig(file);
  if (!config.tenants.some((t) => t.id === tenant))
    throw new UsageError(`unknown tenant "${tenant}"; ${file} has ${config.tenants.map((t) => t.id).join(', ')}`);
  return config.baselineDir;
}

const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

function checkTenant(tenant: string): void {
  if (!TENANT_ID.test(tenant))
    throw new UsageError(`--tenant "${tenant}" is not a tenant id (lower-case letters, digits and dashes)`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** The latest period folder under `out` that holds evidence for the tenant. */
async function latestPeriodWithEvidence(out: string, tenant: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await readdir(out);
  } catch {
    return undefined;
  }
  const periods = names.filter(isPeriodLabel).sort().reverse();
  for (const p of periods) {
    if (await exists(path.join(out, p, tenant, ...evidencePaths.index.split('/')))) return p;
  }
  return undefined;
}

function storeFor(deps: BaselineCommandDeps, baselineDir: string, tenant: string): BaselineStore {
  const dir = path.resolve(baselineDir, tenant);
  return deps.storeFor ? deps.storeFor(dir) : baselineStore(folderBackend(dir));
}

export async function approve(opts: ApproveOptions, deps: BaselineCommandDeps): Promise<void> {
  const write = deps.write ?? ((t: string) => process.stdout.write(t));
  checkTenant(opts.tenant);
  const out = path.resolve(opts.out);
  if (opts.period !== undefined && !isPeriodLabel(opts.period))
    throw new UsageError(`--period "${opts.period}" is not of the form YYYY-MM`);
  const period = opts.period ?? (await latestPeriodWithEvidence(out, opts.tenant));
  if (!period)
    throw new UsageError(
      `no packet with evidence for tenant "${opts.tenant}" under ${out}; run the tenant's packet first`,
    );
  const packetDir = path.join(out, period, opts.tenant);
  if (!(await exists(path.join(packetDir, ...evidencePaths.index.split('/'))))) {
    throw new UsageError(
      `no evidence for tenant "${opts.tenant}" in period ${period} (${packetDir}); run the tenant's packet for that period first`,
    );
  }
  let evidence;
  try {
    evidence = await loadEvidence(packetDir);
  } catch (err) {
    if (err instanceof EvidenceReadError)
      throw new UsageError(`cannot read the evidence in ${packetDir}: ${err.message}`);
    throw err;
  }
  if (evidence.tenant.id !== opts.tenant || evidence.period.label !== period) {
    throw new UsageError(
      `${packetDir} holds evidence of tenant "${evidence.tenant.id}" for ${evidence.period.label}, not "${opts.tenant}" for ${period}`,
    );
  }
  const store = storeFor(deps, opts.baselineDir, opts.tenant);
  try {
    const previous = await store.latest();
    const { stored, hash } = await approvePacketEvidence({
      store,
      packetDir,
      evidence,
      by: opts.by,
      reason: opts.reason,
      now: (deps.now ?? (() => new Date()))(),
    });
    const snapshot = stored.snapshot;
    const changes = previous ? diffSnapshots(previous.snapshot, snapshot).length : undefined;
    if (opts.json) {
      const { snapshot: _s, ...summary } = stored;
      write(
        `${JSON.stringify({ ...summary, file: path.join(store.location, versionFileName(stored.version)), changesSincePrevious: changes ?? null }, null, 2)}\n`,
      );
      return;
    }
    write(
      `baseline v${String(stored.version).padStart(4, '0')} of ${opts.tenant} approved by ${stored.approvedBy} at ${stored.approvedAt}\n`,
    );
    write(
      `  period ${period}: ${snapshot.buckets.length} bucket(s), ${snapshot.keys.length} key(s); evidence sha256 ${hash.sha256} (${hash.basis})\n`,
    );
    write(
      previous
        ? `  ${changes} change(s) since v${String(previous.version).padStart(4, '0')}\n`
        : '  first baseline of this tenant\n',
    );
    write(`  ${path.join(store.location, versionFileName(stored.version))}\n`);
  } catch (err) {
    if (err instanceof BaselineExistsError || err instanceof BaselineFileError) throw new UsageError(err.message);
    throw err;
  }
}

export async function list(
  opts: { tenant: string; baselineDir: string; json?: boolean },
  deps: BaselineCommandDeps,
): Promise<void> {
  const write = deps.write ?? ((t: string) => process.stdout.write(t));
  checkTenant(opts.tenant);
  const store = storeFor(deps, opts.baselineDir, opts.tenant);
  let versions;
  try {
    versions = await store.list();
  } catch (err) {
    if (err instanceof BaselineFileError) throw new UsageError(err.message);
    throw err;
  }
  if (opts.json) {
    write(`${JSON.stringify({ tenant: opts.tenant, location: store.location, versions }, null, 2)}\n`);
    return;
  }
  if (versions.length === 0) {
    write(`no baseline approved for ${opts.tenant} yet (${store.location})\n`);
    return;
  }
  for (const v of versions) {
    write(`v${String(v.version).padStart(4, '0')}  ${v.period}  ${v.approvedAt}  ${v.approvedBy}  ${v.reason}\n`);
  }
}
