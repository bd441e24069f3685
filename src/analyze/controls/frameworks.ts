import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { FrameworkRef } from '../../model/packet.js';
import { projectRoot } from '../../project-root.js';

const frameworkSchema = z
  .object({
    framework: z.string().min(1),
    short: z.string().min(1),
    /** Position in reference lists (PDF, workbook): the framework readers look for first comes first. */
    order: z.number().int().min(1),
    requirements: z
      .array(z.object({ id: z.string().min(1), title: z.string().min(1), controls: z.array(z.string().min(1)).min(1) }).strict())
      .min(1),
  })
  .strict();

export type Framework = z.infer<typeof frameworkSchema> & { file: string };

export function frameworksDir(): string {
  return path.join(projectRoot(), 'frameworks');
}

/** Loads every frameworks/*.yaml; rejects unknown control ids and duplicates within a requirement. */
export function loadFrameworks(knownControls: ReadonlySet<string>, dir = frameworksDir()): Framework[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  return files.map((f) => {
    const file = path.join(dir, f);
    const result = frameworkSchema.safeParse(parse(readFileSync(file, 'utf8')));
    if (!result.success) throw new Error(`${file}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const seenReq = new Set<string>();
    for (const r of result.data.requirements) {
      if (seenReq.has(r.id)) throw new Error(`${file}: requirement ${r.id} listed twice`);
      seenReq.add(r.id);
      const seen = new Set<string>();
      for (const c of r.controls) {
        if (!knownControls.has(c)) throw new Error(`${file}: requirement ${r.id} names unknown control "${c}"`);
        if (seen.has(c)) throw new Error(`${file}: requirement ${r.id} lists control "${c}" twice`);
        seen.add(c);
      }
    }
    return { ...result.data, file: f };
  }).sort((a, b) => a.order - b.order);
}

export function referencesFor(controlId: string, frameworks: Framework[]): FrameworkRef[] {
  return frameworks.flatMap((fw) =>
    fw.requirements.filter((r) => r.controls.includes(controlId)).map((r) => ({ framework: fw.framework, id: r.id, title: r.title })),
  );
}
