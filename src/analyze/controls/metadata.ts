import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { projectRoot } from '../../project-root.js';

const metadataSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(1),
    passes: z.string().min(1),
    rationale: z.string().min(1),
    remediation: z.string().min(1),
    severity: z.enum(['critical', 'high', 'medium', 'low']),
  })
  .strict();

export type ControlMetadata = z.infer<typeof metadataSchema>;

export function controlsDir(): string {
  return path.join(projectRoot(), 'src', 'analyze', 'controls');
}

/** Reads and validates control.yaml; its id must equal the folder name. */
export function loadControlMetadata(id: string, dir = controlsDir()): ControlMetadata {
  const file = path.join(dir, id, 'control.yaml');
  const result = metadataSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) {
    throw new Error(
      `${file}: ${result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`,
    );
  }
  if (result.data.id !== id) throw new Error(`${file}: id "${result.data.id}" does not match its folder "${id}"`);
  return result.data;
}
