import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { parse } from 'yaml';

/**
 * Every label and sentence a reader sees comes from templates/wording.yaml (Handlebars), so wording
 * and branding change without code. Templates are compiled strict: an unknown placeholder throws.
 */
export interface Wording {
  /** Render the template `key` with `context`. Throws on an unknown key or placeholder. */
  t(key: string, context?: Record<string, unknown>): string;
  has(key: string): boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** templates/ at the project root, from src/render or dist/src/render. */
export function defaultTemplatesDir(): string {
  const candidates = [path.resolve(here, '../../templates'), path.resolve(here, '../../../templates')];
  for (const dir of candidates) {
    try {
      readFileSync(path.join(dir, 'wording.yaml'));
      return dir;
    } catch {
      continue; // try the next layout (source vs compiled)
    }
  }
  throw new Error(`templates/wording.yaml not found near ${here}`);
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
  const flat = new Map<string, string>();
  flatten(parse(text), '', flat, file);
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const [k, src] of flat) {
    // noEscape: outputs are PDF/XLSX text, not HTML; strict: unknown placeholders throw.
    compiled.set(k, hb.compile(src, { strict: true, noEscape: true }));
  }
  return {
    has: (key) => compiled.has(key),
    t(key, context = {}) {
      const tpl = compiled.get(key);
      if (!tpl) throw new Error(`${file}: no template "${key}"`);
      try {
        return tpl(context);
      } catch (err) {
        throw new Error(`${file}: template "${key}": ${(err as Error).message}`);
      }
    },
  };
}

export function loadWording(templatesDir = defaultTemplatesDir()): Wording {
  const file = path.join(templatesDir, 'wording.yaml');
  return wordingFromText(readFileSync(file, 'utf8'), file);
}
