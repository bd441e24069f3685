/**
 * Missing evidence by resource: what the completeness sentence names. The analysis words the packet's
 * sentence from it and the page its own, shorter or longer, from the same groups, so the page never
 * has to take the packet's sentence apart to count what it leaves out.
 */

/** One missing-evidence item as the packet lists it. */
export interface MissingItem {
  scope: string;
  source: string;
  reason: string;
}

/** Everything missing for one resource (scope): its sources and short reasons, each once, in first-seen order. */
export interface MissingResource {
  scope: string;
  sources: string[];
  reasons: string[];
}

/** Short reason for a sentence: the error code or the first clause, never a whole path. */
function shortReason(reason: string): string {
  const code = /^([A-Za-z]+(?:Exception|Error|Denied)?):/.exec(reason)?.[1];
  if (code) return code;
  const clause = reason.split(/[:(;]/)[0]!.trim();
  return clause.length > 60 ? `${clause.slice(0, 57)}...` : clause;
}

/** One entry per resource, in the order the items first name it: "bucket x" with two denied calls is one problem. */
export function missingByResource(missing: readonly MissingItem[]): MissingResource[] {
  const byScope = new Map<string, { sources: Set<string>; reasons: Set<string> }>();
  for (const m of missing) {
    let entry = byScope.get(m.scope);
    if (!entry) byScope.set(m.scope, (entry = { sources: new Set(), reasons: new Set() }));
    entry.sources.add(m.source);
    entry.reasons.add(shortReason(m.reason));
  }
  return [...byScope].map(([scope, e]) => ({ scope, sources: [...e.sources], reasons: [...e.reasons] }));
}
