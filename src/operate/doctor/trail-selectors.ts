/**
 * Whether a trail's event selectors record what the packet needs: S3 data events for writes to a
 * bucket's objects, and KMS management events (key usage is read-only management events, key
 * changes write ones). Pure; basic and advanced selectors.
 */

export interface BasicSelector {
  ReadWriteType?: string;
  IncludeManagementEvents?: boolean;
  DataResources?: Array<{ Type?: string; Values?: string[] }>;
  ExcludeManagementEventSources?: string[];
}

interface FieldSelector {
  Field?: string;
  Equals?: string[];
  StartsWith?: string[];
  EndsWith?: string[];
  NotEquals?: string[];
  NotStartsWith?: string[];
  NotEndsWith?: string[];
}

export interface AdvancedSelector {
  Name?: string;
  FieldSelectors?: FieldSelector[];
}

export interface TrailSelectors {
  EventSelectors?: BasicSelector[];
  AdvancedEventSelectors?: AdvancedSelector[];
}

type Coverage = 'full' | 'partial' | 'none';

export interface CoverageVerdict {
  coverage: Coverage;
  reason: string;
}

const RANK: Record<Coverage, number> = { none: 0, partial: 1, full: 2 };
function best(verdicts: CoverageVerdict[], none: string): CoverageVerdict {
  const [first, ...rest] = verdicts;
  if (!first) return { coverage: 'none', reason: none };
  return rest.reduce<CoverageVerdict>((a, b) => (RANK[b.coverage] > RANK[a.coverage] ? b : a), first);
}

// ---------------------------------------------------------------- S3 data events (writes)

function basicS3Write(s: BasicSelector, bucket: string): CoverageVerdict {
  const rw = s.ReadWriteType ?? 'All';
  if (rw === 'ReadOnly') return { coverage: 'none', reason: 'selector records read events only' };
  const objectArn = `arn:aws:s3:::${bucket}/`;
  const values = (s.DataResources ?? []).filter((d) => d.Type === 'AWS::S3::Object').flatMap((d) => d.Values ?? []);
  if (
    values.some((v) => v === 'arn:aws:s3' || v === 'arn:aws:s3:::' || v === objectArn || v === `arn:aws:s3:::${bucket}`)
  ) {
    return { coverage: 'full', reason: 'basic selector: S3 object data events, write, for the bucket' };
  }
  if (values.some((v) => v.startsWith(objectArn)))
    return { coverage: 'partial', reason: 'basic selector: S3 data events for some prefixes of the bucket only' };
  return { coverage: 'none', reason: 'no S3 data-event resource names the bucket' };
}

function field(sel: AdvancedSelector, name: string): FieldSelector | undefined {
  return sel.FieldSelectors?.find((f) => f.Field === name);
}

function advancedS3Write(sel: AdvancedSelector, bucket: string): CoverageVerdict {
  const category = field(sel, 'eventCategory');
  if (!category?.Equals?.includes('Data')) return { coverage: 'none', reason: 'not a data-event selector' };
  const type = field(sel, 'resources.type');
  if (!type?.Equals?.includes('AWS::S3::Object')) return { coverage: 'none', reason: 'not for S3 objects' };
  const readOnly = field(sel, 'readOnly');
  if (readOnly?.Equals && !readOnly.Equals.includes('false'))
    return { coverage: 'none', reason: 'selector records read events only' };
  const objectArn = `arn:aws:s3:::${bucket}/`;
  const arn = field(sel, 'resources.ARN');
  let coverage: Coverage = 'full';
  const notes: string[] = [];
  if (arn) {
    if (arn.NotStartsWith?.some((v) => objectArn.startsWith(v)) || arn.NotEquals?.some((v) => v === objectArn))
      return { coverage: 'none', reason: 'selector excludes the bucket' };
    const includes = arn.StartsWith ?? arn.Equals;
    if (includes) {
      if (arn.StartsWith?.some((v) => objectArn.startsWith(v))) coverage = 'full';
      else if (includes.some((v) => v.startsWith(objectArn))) {
        coverage = 'partial';
        notes.push('some prefixes or objects of the bucket only');
      } else return { coverage: 'none', reason: 'selector names other buckets' };
    }
    if (arn.NotStartsWith?.some((v) => v.startsWith(objectArn)) || arn.EndsWith || arn.NotEndsWith) {
      coverage = 'partial';
      notes.push('some objects of the bucket excluded');
    }
  }
  const eventName = field(sel, 'eventName');
  if (eventName) {
    if (eventName.Equals && !eventName.Equals.includes('PutObject'))
      return { coverage: 'none', reason: 'selector does not record PutObject' };
    if (eventName.NotEquals?.includes('PutObject')) return { coverage: 'none', reason: 'selector excludes PutObject' };
    coverage = 'partial';
    notes.push('some event names only');
  }
  const other = (sel.FieldSelectors ?? []).filter(
    (f) => !['eventCategory', 'resources.type', 'readOnly', 'resources.ARN', 'eventName'].includes(f.Field ?? ''),
  );
  if (other.length > 0) {
    coverage = 'partial';
    notes.push(`also filtered on ${other.map((f) => f.Field).join(', ')}`);
  }
  return {
    coverage,
    reason: `advanced selector${sel.Name ? ` "${sel.Name}"` : ''}${notes.length ? `: ${notes.join('; ')}` : ': S3 object data events, write, for the bucket'}`,
  };
}

export function s3WriteCoverage(selectors: TrailSelectors, bucket: string): CoverageVerdict {
  if (selectors.AdvancedEventSelectors?.length)
    return best(
      selectors.AdvancedEventSelectors.map((s) => advancedS3Write(s, bucket)),
      'no advanced selector records S3 data events for the bucket',
    );
  return best(
    (selectors.EventSelectors ?? []).map((s) => basicS3Write(s, bucket)),
    'no selector records S3 data events for the bucket',
  );
}

// ---------------------------------------------------------------- KMS management events

function basicKms(s: BasicSelector): CoverageVerdict {
  if (s.IncludeManagementEvents === false) return { coverage: 'none', reason: 'management events not included' };
  if (s.ExcludeManagementEventSources?.includes('kms.amazonaws.com'))
    return { coverage: 'none', reason: 'KMS events excluded (ExcludeManagementEventSources)' };
  const rw = s.ReadWriteType ?? 'All';
  if (rw === 'All') return { coverage: 'full', reason: 'management events, read and write, KMS included' };
  return {
    coverage: 'partial',
    reason:
      rw === 'WriteOnly'
        ? 'write management events only: key changes, not key usage (Decrypt, GenerateDataKey are read events)'
        : 'read management events only: key usage, not key changes',
  };
}

function advancedKms(sel: AdvancedSelector): CoverageVerdict {
  if (!field(sel, 'eventCategory')?.Equals?.includes('Management'))
    return { coverage: 'none', reason: 'not a management-event selector' };
  const source = field(sel, 'eventSource');
  if (source?.NotEquals?.includes('kms.amazonaws.com')) return { coverage: 'none', reason: 'KMS events excluded' };
  if (source?.Equals && !source.Equals.includes('kms.amazonaws.com'))
    return { coverage: 'none', reason: 'other event sources only' };
  const readOnly = field(sel, 'readOnly');
  if (readOnly?.Equals?.length === 1) {
    return {
      coverage: 'partial',
      reason:
        readOnly.Equals[0] === 'false'
          ? 'write management events only: key changes, not key usage'
          : 'read management events only: key usage, not key changes',
    };
  }
  return {
    coverage: 'full',
    reason: `advanced selector${sel.Name ? ` "${sel.Name}"` : ''}: management events, read and write, KMS included`,
  };
}

export function kmsCoverage(selectors: TrailSelectors): CoverageVerdict {
  if (selectors.AdvancedEventSelectors?.length)
    return best(selectors.AdvancedEventSelectors.map(advancedKms), 'no advanced selector records management events');
  return best((selectors.EventSelectors ?? []).map(basicKms), 'no selector records management events');
}
