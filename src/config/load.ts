import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';
import { DEFAULT_FRAMEWORKS } from './frameworks.js';

/** A configuration problem the user can fix; the CLI maps it to exit code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: Config;
  file: string;
  /** sha256 of the config file's bytes, recorded in every manifest. */
  sha256: string;
}

function formatPath(p: ReadonlyArray<PropertyKey>): string {
  if (p.length === 0) return '(top level)';
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`)).join('');
}

function describeIssues(file: string, issues: z.core.$ZodIssue[]): string {
  const lines = issues.map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`);
  return `${file}: invalid configuration\n${lines.join('\n')}`;
}

const isRemote = (loc: string) => loc.startsWith('s3://');

/**
 * Resolve local folders relative to the config file, so a config can travel with its evidence, and
 * give every tenant its framework selection (recorded in evidence/tenant.json with the rest).
 */
function resolvePaths(cfg: Config, baseDir: string): Config {
  const local = (loc: string) => (isRemote(loc) ? loc : path.resolve(baseDir, loc));
  return {
    ...cfg,
    configDir: baseDir,
    baselineDir: path.resolve(baseDir, cfg.baselineDir),
    exceptionsDir: path.resolve(baseDir, cfg.exceptionsDir),
    ...(cfg.deliveries
      ? {
          deliveries: {
            ...cfg.deliveries,
            destinations: cfg.deliveries.destinations.map((d) =>
              d.caFile ? { ...d, caFile: path.resolve(baseDir, d.caFile) } : d,
            ),
          },
        }
      : {}),
    tenants: cfg.tenants.map((t) => ({
      ...t,
      frameworks: t.frameworks ?? cfg.frameworks ?? [...DEFAULT_FRAMEWORKS],
      accounts: t.accounts.map((a) => (a.offlineExport ? { ...a, offlineExport: local(a.offlineExport) } : a)),
      sources: {
        ...t.sources,
        inventory: t.sources.inventory.map(local),
        accessLogs: t.sources.accessLogs.map(local),
        cloudTrail: t.sources.cloudTrail.map(local),
      },
    })),
  };
}

export function parseConfig(text: string, file: string): Config {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(`${file}: not valid YAML\n${doc.errors.map((e) => `  ${e.message}`).join('\n')}`);
  }
  const result = configSchema.safeParse(doc.toJS());
  if (!result.success) throw new ConfigError(describeIssues(file, result.error.issues));
  return resolvePaths(result.data, path.dirname(path.resolve(file)));
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ConfigError(`${file}: cannot read configuration (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const config = parseConfig(bytes.toString('utf8'), file);
  return { config, file, sha256: createHash('sha256').update(bytes).digest('hex') };
}
