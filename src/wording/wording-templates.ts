import Handlebars from 'handlebars';

/**
 * Every label and sentence a reader sees comes from templates/*.yaml (Handlebars), so wording
 * and branding change without code. Templates are compiled strict: an unknown placeholder throws.
 */
export interface Wording {
  /** Render the template `key` with `context`. Throws on an unknown key or placeholder. */
  t(key: string, context?: Record<string, unknown>): string;
  has(key: string): boolean;
  /** What it was made from, when made from templates (a thread is sent these to make the same wording). */
  readonly templates?: readonly WordingTemplate[];
}

/** One template as read from its file: what a wording is made of, and what a thread is sent to make the same one. */
export interface WordingTemplate {
  key: string;
  source: string;
  file: string;
}

const hb = Handlebars.create();
hb.registerHelper('plural', (n: number, one: string, many: string) => (n === 1 ? one : many));
hb.registerHelper('num', (n: number) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n)));

/** A wording of these templates; a key given twice is an error, not a silent override. */
export function wordingFromTemplates(templates: readonly WordingTemplate[]): Wording {
  const compiled = new Map<string, { tpl: (context: Record<string, unknown>) => string; file: string }>();
  for (const { key, source, file } of templates) {
    const prior = compiled.get(key);
    if (prior) throw new Error(`${file}: template "${key}" is already defined in ${prior.file}`);
    // noEscape: outputs are PDF/XLSX/CSV text, never HTML; strict: unknown placeholders throw.
    // Most templates are plain text, which Handlebars renders as itself: compiling each one on its
    // first use (parse, generate, new Function) cost a run more than rendering all of them.
    const tpl = source.includes('{{') ? hb.compile(source, { strict: true, noEscape: true }) : () => source;
    compiled.set(key, { tpl, file });
  }
  return {
    templates,
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
