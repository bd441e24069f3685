import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { parse } from 'yaml';
import { projectRoot } from '../project-root.js';

/**
 * Every label and sentence a reader sees comes from templates/*.yaml (Handlebars), so wording
 * and branding change without code. Templates are compiled strict: an unknown placeholder throws.
 */
export interface Wording {
  /** Render the template `key` with `context`. Throws on an unknown key or placeholder. */
  t(key: string, context?: Record<string, unknown>): string;
  has(key: string): boolean;
}

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

const hb = Handlebars.create();
hb.registerHelper('plural', (n: number, one: string, many: string) => (n === 1 ? one : many));
hb.registerHelper('num', (n: number) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n)));

export function wordingFromText(text: string, file = 'wording.yaml'): Wording {
  return wordingFromFiles([{ file, text }]);
}

/** Several YAML files make one wording; a key defined twice is an error, not a silent override. */
function wordingFromFiles(files: Array<{ file: string; text: string }>): Wording {
  const compiled = new Map<string, { tpl: (context: Record<string, unknown>) => string; file: string }>();
  for (const { file, text } of files) {
    const flat = new Map<string, string>();
    flatten(parse(text), '', flat, file);
    for (const [k, src] of flat) {
      const prior = compiled.get(k);
      if (prior) throw new Error(`${file}: template "${k}" is already defined in ${prior.file}`);
      // noEscape: outputs are PDF/XLSX/CSV text, never HTML; strict: unknown placeholders throw.
      // Most templates are plain text, which Handlebars renders as itself: compiling each one on its
      // first use (parse, generate, new Function) cost a run more than rendering all of them.
      const tpl = src.includes('{{') ? hb.compile(src, { strict: true, noEscape: true }) : () => src;
      compiled.set(k, { tpl, file });
    }
  }
  return {
    has: (key) => compiled.has(key),
    t(key, context = {}) {
      const entry = compiled.get(key);
      if (!entry) throw new Error(`no template "${key}" in templates/*.yaml`);
      try {
        return entry.tpl(context);
      } catch (err) {
        throw new Error(`${entry.file}: template "${key}": ${(err as Error).message}`, { cause: err });
      }
    },
  };
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
