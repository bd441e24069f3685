import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { ControlResult, FrameworkRef, FrameworkResult } from '../../model/packet.js';
import type { Verdict } from '../../model/shared.js';
import { projectRoot } from '../../project-root.js';

/** Characters a workbook sheet name may not hold (ECMA-376), and its length limit. */
const SHEET_NAME = /^[^\\/?*[\]:]{1,31}$/;

const frameworkSchema = z
  .object({
    /** Equals the file name without .yaml; what a configuration selects and a packet records. */
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    framework: z.string().min(1),
    /** Prefix of a requirement id in compact lists (the PDF): "CIS 3.1.1", "SOC 2 CC6.7". */
    short: z.string().min(1).max(8),
    version: z.string().min(1),
    /** Name of the framework's workbook sheet and compliance CSV heading. */
    sheet: z.string().regex(SHEET_NAME, 'a workbook sheet name: 1-31 characters, none of \\ / ? * [ ] :'),
    /** The published text the ids and titles were checked against. */
    source: z.string().min(1),
    requirements: z
      .array(
        z
          .object({ id: z.string().min(1), title: z.string().min(1), controls: z.array(z.string().min(1)).min(1) })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type Framework = z.infer<typeof frameworkSchema> & { file: string };

export function frameworksDir(): string {
  return path.join(projectRoot(), 'frameworks');
}

/**
 * Loads every frameworks/*.yaml (sorted by file name); rejects a file whose id is not its name, unknown
 * control ids, and duplicates (requirements, or controls within one).
 */
export function loadFrameworks(knownControls: ReadonlySet<string>, dir = frameworksDir()): Framework[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return files.map((f) => {
    const file = path.join(dir, f);
    const result = frameworkSchema.safeParse(parse(readFileSync(file, 'utf8')));
    if (!result.success)
      throw new Error(`${file}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (`${result.data.id}.yaml` !== f) throw new Error(`${file}: id "${result.data.id}" does not match its file name`);
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
  });
}

/** The frameworks a tenant selected, in its order; an id no file defines is an error naming it. */
export function selectFrameworks(all: readonly Framework[], ids: readonly string[]): Framework[] {
  return ids.map((id) => {
    const fw = all.find((f) => f.id === id);
    if (!fw)
      throw new Error(
        `framework "${id}" is not defined (frameworks/${id}.yaml); known: ${all.map((f) => f.id).join(', ')}`,
      );
    return fw;
  });
}

export function referencesFor(controlId: string, frameworks: readonly Framework[]): FrameworkRef[] {
  return frameworks.flatMap((fw) =>
    fw.requirements
      .filter((r) => r.controls.includes(controlId))
      .map((r) => ({ framework: fw.framework, short: fw.short, id: r.id, title: r.title })),
  );
}

/**
 * A requirement's status from its controls' verdicts (after exceptions), by the rule a control uses
 * over its resources: any FAIL fails it; else anything NOT EVALUATED leaves it not evaluated; else an
 * EXCEPTION shows; else PASS if any passed; N/A only when every control is N/A.
 */
export function requirementStatus(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.includes('not_evaluated') || verdicts.length === 0) return 'not_evaluated';
  if (verdicts.includes('exception')) return 'exception';
  if (verdicts.includes('pass')) return 'pass';
  return 'not_applicable';
}

/** Each selected framework's requirements with the controls mapped to them and the resulting status. */
export function frameworkResults(
  frameworks: readonly Framework[],
  controls: readonly ControlResult[],
): FrameworkResult[] {
  return frameworks.map((fw) => ({
    id: fw.id,
    name: fw.framework,
    short: fw.short,
    version: fw.version,
    sheet: fw.sheet,
    source: fw.source,
    requirements: fw.requirements.map((r) => {
      const mapped = r.controls.map((id) => controls.find((c) => c.id === id));
      const missing = r.controls.filter((_, i) => !mapped[i]);
      // A mapped control that was not evaluated at all cannot support the requirement.
      if (missing.length > 0)
        throw new Error(
          `framework ${fw.id} requirement ${r.id} maps control(s) the packet does not hold: ${missing.join(', ')}`,
        );
      return {
        id: r.id,
        title: r.title,
        controls: [...r.controls],
        status: requirementStatus(mapped.map((c) => c!.verdict)),
      };
    }),
  }));
}
