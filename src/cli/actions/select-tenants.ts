import type { Config } from '../../config/schema.js';
import { UsageError } from '../../errors.js';

/** The tenants --tenant names (all when none); an id the configuration does not have is refused, naming those it has. */
export function selectTenants(config: Config, wanted: string[] | undefined): Config['tenants'] {
  if (!wanted || wanted.length === 0) return config.tenants;
  const unknown = wanted.filter((t) => !config.tenants.some((c) => c.id === t));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown tenant ${unknown.map((u) => `"${u}"`).join(', ')}; the configuration has ${config.tenants.map((t) => t.id).join(', ')}`,
    );
  }
  return config.tenants.filter((t) => wanted.includes(t.id));
}
