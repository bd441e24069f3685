import picomatch from 'picomatch';
import type { BucketSelection } from '../config/schema.js';
import type { GetBucketTaggingOutput } from '../evidence/aws-shapes.js';
import type { EvidenceRecord } from '../evidence/record.js';

export type NameDecision = { selected: true } | { selected: false; reason: string };

export function selectByName(name: string, sel: BucketSelection): NameDecision {
  const included = sel.include.some((g) => picomatch.isMatch(name, g));
  if (!included)
    return {
      selected: false,
      reason: `not matched by include patterns ${sel.include.map((g) => `"${g}"`).join(', ')}`,
    };
  const exclusion = sel.exclude.find((g) => picomatch.isMatch(name, g));
  if (exclusion) return { selected: false, reason: `excluded by name pattern "${exclusion}"` };
  return { selected: true };
}

/** Tag selection. Unreadable tags cannot decide membership: that is `undecidable`, not "excluded". */
export type TagDecision = NameDecision | { selected: 'undecidable'; reason: string };

export function selectByTags(tagging: EvidenceRecord<GetBucketTaggingOutput>, sel: BucketSelection): TagDecision {
  if (sel.tags.length === 0) return { selected: true };
  let tags: Array<{ Key?: string; Value?: string }>;
  if (tagging.outcome === 'ok') tags = tagging.response.TagSet ?? [];
  else if (tagging.outcome === 'not_configured') tags = [];
  else {
    return {
      selected: 'undecidable',
      reason: `scope undetermined: the bucket's tags could not be read (${tagging.error.code}: ${tagging.error.message}), so whether it belongs to the tenant is unknown`,
    };
  }
  for (const want of sel.tags) {
    const found = tags.find((t) => t.Key === want.key);
    if (!found) return { selected: false, reason: `lacks tag "${want.key}"` };
    if (want.value !== undefined && found.Value !== want.value) {
      return { selected: false, reason: `tag "${want.key}" is "${found.Value ?? ''}", not "${want.value}"` };
    }
  }
  return { selected: true };
}

/** GetBucketLocation: empty/null means us-east-1, "EU" is the legacy name of eu-west-1. */
export function regionFromLocationConstraint(constraint: string | null | undefined): string {
  if (constraint === null || constraint === undefined || constraint === '') return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}
