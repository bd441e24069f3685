import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { defaultTemplatesDir, loadWording, wordingFromText } from '../../src/wording/wording.js';

// Every template the wording compiles, seen through Handlebars.create's environment.
const compiled = vi.hoisted(() => [] as string[]);
vi.mock('handlebars', async (importOriginal) => {
  const real = (await importOriginal<{ default: typeof Handlebars }>()).default;
  return {
    default: {
      ...real,
      create() {
        const env = real.create();
        const compile = env.compile.bind(env);
        env.compile = ((src: string, opts?: CompileOptions) => {
          compiled.push(src);
          return compile(src, opts);
        }) as typeof env.compile;
        return env;
      },
    },
  };
});
type CompileOptions = Parameters<typeof Handlebars.compile>[1];

function templateSources(): Map<string, string> {
  const out = new Map<string, string>();
  const flatten = (v: unknown, prefix: string) => {
    if (typeof v === 'string') out.set(prefix, v);
    else for (const [k, x] of Object.entries(v as object)) flatten(x, prefix ? `${prefix}.${k}` : k);
  };
  const dir = defaultTemplatesDir();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml')))
    flatten(parse(readFileSync(path.join(dir, f), 'utf8')), '');
  return out;
}

describe('wording', () => {
  it('renders every plain-text template of templates/ exactly as Handlebars does, without compiling it', () => {
    const sources = templateSources();
    const plain = [...sources].filter(([, src]) => !src.includes('{{'));
    expect(plain.length).toBeGreaterThan(300);
    compiled.length = 0;
    const w = loadWording();
    for (const [key, src] of plain) {
      const expected = Handlebars.compile(src, { strict: true, noEscape: true })({});
      expect(w.t(key, { unused: 1 }), key).toBe(expected);
    }
    // Only the templates with placeholders went to Handlebars (the reference compiles above are
    // Handlebars' own, outside the wording's environment, and not counted).
    expect(compiled.filter((src) => !src.includes('{{'))).toEqual([]);
    expect(compiled).toHaveLength(sources.size - plain.length);
  });

  it('compiles a template with placeholders, strict: an unknown placeholder throws', () => {
    compiled.length = 0;
    const w = wordingFromText('a: "{{n}} of {{total}}"\nb: plain text, 100% {not a placeholder}\n');
    expect(w.t('b')).toBe('plain text, 100% {not a placeholder}');
    expect(w.t('a', { n: 2, total: 3 })).toBe('2 of 3');
    expect(compiled).toEqual(['{{n}} of {{total}}']);
    expect(() => w.t('a', { n: 2 })).toThrow(/template "a".*total/);
    expect(() => w.t('missing')).toThrow('no template "missing"');
  });
});
