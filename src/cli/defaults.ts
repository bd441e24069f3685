/** Defaults the command declarations show in --help and the actions apply; kept apart so --help loads nothing else. */
import path from 'node:path';

export const DEFAULT_CONFIG_FILE = path.join('config', 'tenants.yaml');

export const DEFAULT_BASELINE_DIR = path.join('config', 'baseline');

/** Tenants side by side in one run when neither --tenants-at-once nor collection.concurrency.tenants says. */
export const DEFAULT_TENANTS_AT_ONCE = 4;
