import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../project-root.js';
import { wordingFromTemplates, type Wording, type WordingTemplate } from './wording-templates.js';

export type { Wording } from './wording-templates.js';

/** templates/ at the project root. */
export function defaultTemplatesDir(): string {
  return path.join(projectRoot(), 'templates');
}

function flatten(value: unknown, prefix: string, out: Map<string, string>, file: string): void {
  if (typeof value === 'string') {
    out.set(prefix, value);
    return;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out, file);
    return;
  }
  throw new Error(`${file}: "${prefix}" must be a string or a map of strings`);
}

export function wordingFromText(text: string, file = 'wording.yaml'): Wording {
  return wordingFromFiles([{ file, text }]);
}

/** Several YAML files make one wording; a key defined twice is an error, not a silent override. */
function wordingFromFiles(files: Array<{ file: string; text: string }>): Wording {
  const templates: WordingTemplate[] = [];
  for (const { file, text } of files) {
    const flat = new Map<string, string>();
    flatten(parse(text), '', flat, file);
    for (const [key, source] of flat) templates.push({ key, source, file });
  }
  return wordingFromTemplates(templates);
}

/**
 * Every templates/*.yaml file, merged; read and compiled once per folder and process. A run of
 * hundreds of tenants (or a portfolio verifying them) otherwise re-parsed and re-compiled every
 * template per packet: most of a small tenant's CPU.
 */
const loaded = new Map<string, Wording>();

export function loadWording(templatesDir = defaultTemplatesDir()): Wording {
  const key = path.resolve(templatesDir);
  let wording = loaded.get(key);
  if (!wording) {
    wording = readWording(key);
    loaded.set(key, wording);
  }
  return wording;
}

function readWording(templatesDir: string): Wording {
  const names = readdirSync(templatesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return wordingFromFiles(
    names.map((n) => ({ file: path.join(templatesDir, n), text: readFileSync(path.join(templatesDir, n), 'utf8') })),
  );
}
