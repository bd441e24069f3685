import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './project-root.js';

const pkg = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

/** Name and version recorded in every packet and manifest. */
export const TOOL = { name: pkg.name, version: pkg.version } as const;
