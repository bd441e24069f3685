import {
  BUCKET_TYPE,
  COVERED_RULE_IDENTIFIERS,
  KEY_TYPE,
  type ConfigRule,
  type EvaluationResult,
} from '../../evidence/aws-config-shapes.js';
import type {
  Agreement,
  AwsVerdict,
  ConfigRuleRow,
  ResourceHistory,
  RuleResourceRow,
} from '../../model/config-sections.js';
import type { BucketResult, ControlResult, KeyResult } from '../../model/packet.js';
import type { Verdict } from '../../model/shared.js';
import type { Wording } from '../../wording/wording.js';
import type { AwsConfigEvidence, AwsConfigRegionEvidence } from '../../evidence/aws-config-evidence.js';
import {
  correspondenceOf,
  isoSeconds,
  keyByConfigId,
  keyName,
  type OurVerdict,
  type RuleCorrespondence,
} from './rule-controls.js';
import { historyByResource } from './history.js';
import { firstByKey, joinKey } from '../lookup.js';

const AWS_VERDICTS: ReadonlySet<string> = new Set([
  'COMPLIANT',
  'NON_COMPLIANT',
  'NOT_APPLICABLE',
  'INSUFFICIENT_DATA',
]);
const covered: ReadonlySet<string> = new Set(COVERED_RULE_IDENTIFIERS);

/** Both sides must give a pass-or-fail verdict to agree or disagree; an excepted FAIL is still a FAIL. */
export function agreementOf(aws: AwsVerdict, ours: Verdict | null): Agreement {
  if (ours === null) return 'no_control';
  const oursFails = ours === 'fail' || ours === 'exception';
  if (aws === 'COMPLIANT' && ours === 'pass') return 'agree';
  if (aws === 'NON_COMPLIANT' && oursFails) return 'agree';
  if (aws === 'COMPLIANT' && oursFails) return 'disagree';
  if (aws === 'NON_COMPLIANT' && ours === 'pass') return 'disagree';
  return 'not_comparable';
}

export interface RuleFacts {
  buckets: BucketResult[];
  keys: KeyResult[];
  controls: ControlResult[];
  /** To say when a resource changed after AWS evaluated it. */
  history: ResourceHistory[];
}

interface InScope {
  resourceType: string;
  resourceId: string;
  resource: string;
}

function inScopeResources(facts: RuleFacts, account: string, region: string): InScope[] {
  return [
    ...facts.buckets
      .filter((b) => b.account === account && b.region === region)
      .map((b) => ({ resourceType: BUCKET_TYPE, resourceId: b.name, resource: b.name })),
    ...facts.keys
      .filter((k) => k.account === account && k.region === region && k.arn)
      .map((k) => ({
        resourceType: KEY_TYPE,
        resourceId: k.arn!.slice(k.arn!.lastIndexOf('/') + 1),
        resource: keyName(k),
      })),
  ];
}

function resolve(
  facts: RuleFacts,
  scope: InScope[],
  account: string,
  region: string,
  type: string,
  id: string,
): InScope | undefined {
  const direct = firstByKey(scope, 'resource', (s) => [joinKey(s.resourceType, s.resourceId)]).get(joinKey(type, id));
  if (direct) return direct;
  if (type !== KEY_TYPE) return undefined;
  const k = keyByConfigId(facts.keys, account, region, id);
  return k ? { resourceType: KEY_TYPE, resourceId: id, resource: keyName(k) } : undefined;
}

/** The newest result per resource (a rule may hold an older evaluation beside a newer one). */
function latestResults(results: EvaluationResult[]): Map<string, EvaluationResult> {
  const byResource = new Map<string, EvaluationResult>();
  for (const r of results) {
    const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
    if (!q?.ResourceType || !q.ResourceId) continue;
    const id = `${q.ResourceType}|${q.ResourceId}`;
    const prior = byResource.get(id);
    if (!prior || (isoSeconds(r.ResultRecordedTime) ?? '') > (isoSeconds(prior.ResultRecordedTime) ?? ''))
      byResource.set(id, r);
  }
  return byResource;
}

function explanation(
  w: Wording,
  row: Omit<RuleResourceRow, 'agreement' | 'explanation'>,
  ctx: { rule: string; account: string; region: string; control: string; laterChange?: string },
): string {
  return w.t('awsConfig.disagreement', {
    rule: ctx.rule,
    account: ctx.account,
    region: ctx.region,
    aws: row.aws,
    recordedAt: row.awsRecordedAt ? row.awsRecordedAt.slice(0, 16).replace('T', ' ') : '',
    control: ctx.control,
    ours: w.t(`awsConfig.ours.${row.ours}`),
    reason: row.oursReason ?? '',
    annotation: row.annotation ?? '',
    laterChange: ctx.laterChange ? ctx.laterChange.slice(0, 16).replace('T', ' ') : '',
  });
}

function emptyCounts(): Record<Agreement, number> {
  return { agree: 0, disagree: 0, not_comparable: 0, no_control: 0 };
}

function ruleRow(
  rule: ConfigRule,
  account: string,
  r: AwsConfigRegionEvidence,
  facts: RuleFacts,
  w: Wording,
): ConfigRuleRow {
  const name = rule.ConfigRuleName!;
  const identifier = rule.Source?.SourceIdentifier ?? null;
  const corr: RuleCorrespondence | undefined = rule.Source?.Owner === 'AWS' ? correspondenceOf(identifier) : undefined;
  const compliance = r.compliance.find((c) => c.rule === name)?.record;
  const base = {
    account,
    region: r.region,
    name,
    identifier,
    controlId: corr?.controlId ?? null,
    outOfScope: 0,
    evidence: [...(r.rules ? [r.rules.file] : []), ...(compliance ? [compliance.file] : [])],
  };
  if (!compliance || compliance.outcome !== 'ok') {
    const reason = compliance
      ? w.t('awsConfig.unreadable', { code: compliance.error.code, message: compliance.error.message })
      : 'not read';
    return { ...base, state: 'unreadable', reason, resources: [], counts: emptyCounts() };
  }
  const scope = inScopeResources(facts, account, r.region);
  const results = latestResults(compliance.response.EvaluationResults ?? []);
  const control = corr ? (facts.controls.find((c) => c.id === corr.controlId)?.title ?? corr.controlId) : '';
  const rows: RuleResourceRow[] = [];
  let outOfScope = 0;
  const seen = new Set<string>();
  const addRow = (target: InScope, result: EvaluationResult | undefined) => {
    seen.add(`${target.resourceType}|${target.resourceId}`);
    const aws: AwsVerdict =
      result && AWS_VERDICTS.has(result.ComplianceType ?? '')
        ? (result.ComplianceType as AwsVerdict)
        : result
          ? 'INSUFFICIENT_DATA'
          : 'NO_RESULT';
    const ours: OurVerdict | undefined = corr?.ours(target.resource, {
      controls: facts.controls,
      buckets: facts.buckets,
    });
    const recordedAt = isoSeconds(result?.ResultRecordedTime);
    const row: Omit<RuleResourceRow, 'agreement' | 'explanation'> = {
      ...target,
      aws,
      ...(recordedAt ? { awsRecordedAt: recordedAt } : {}),
      ...(result?.Annotation ? { annotation: result.Annotation } : {}),
      ours: ours?.verdict ?? null,
      ...(ours ? { oursReason: ours.reason } : {}),
    };
    const agreement = corr && !ours ? 'not_comparable' : agreementOf(aws, row.ours);
    if (agreement !== 'disagree') {
      rows.push({ ...row, agreement });
      return;
    }
    const history = historyByResource(facts.history).get(
      joinKey(account, r.region, target.resourceType, target.resourceId),
    );
    const laterChange = recordedAt ? history?.changes.find((c) => c.time > recordedAt)?.time : undefined;
    rows.push({
      ...row,
      agreement,
      explanation: explanation(w, row, {
        rule: name,
        account,
        region: r.region,
        control,
        ...(laterChange ? { laterChange } : {}),
      }),
    });
  };
  for (const [id, result] of results) {
    const sep = id.indexOf('|');
    const target = resolve(facts, scope, account, r.region, id.slice(0, sep), id.slice(sep + 1));
    if (target) addRow(target, result);
    else outOfScope++;
  }
  // A resource the rule should judge but has no result for is shown: "AWS has not evaluated it" is a fact too.
  if (corr)
    for (const target of scope.filter(
      (s) => s.resourceType === corr.resourceType && !seen.has(`${s.resourceType}|${s.resourceId}`),
    ))
      addRow(target, undefined);
  rows.sort((a, b) => a.resource.localeCompare(b.resource));
  const counts = emptyCounts();
  for (const row of rows) counts[row.agreement]++;
  return { ...base, state: 'evaluated', resources: rows, outOfScope, counts };
}

/** Per account, region and rule: AWS's verdict beside ours for every in-scope resource. */
export function ruleRows(ev: AwsConfigEvidence, facts: RuleFacts, w: Wording): ConfigRuleRow[] {
  const rows: ConfigRuleRow[] = [];
  for (const a of ev.accounts) {
    if (a.notCollected !== undefined) continue;
    const found = new Set<string>();
    let anyReadable = false;
    for (const r of a.regions) {
      if (r.rules?.outcome !== 'ok') continue;
      anyReadable = true;
      for (const rule of r.rules.response.ConfigRules ?? []) {
        const name = rule.ConfigRuleName;
        if (!name) continue;
        if (!covered.has(rule.Source?.SourceIdentifier ?? '') && !ev.extraRules.includes(name)) continue;
        found.add(name);
        rows.push(ruleRow(rule, a.account, r, facts, w));
      }
    }
    if (!anyReadable) continue;
    const regions = a.regions.map((r) => r.region).join(', ');
    for (const name of ev.extraRules.filter((n) => !found.has(n))) {
      rows.push({
        account: a.account,
        region: regions,
        name,
        identifier: null,
        controlId: null,
        state: 'not_found',
        reason: w.t('awsConfig.ruleNotFound', { rule: name, account: a.account, regions }),
        resources: [],
        outOfScope: 0,
        counts: emptyCounts(),
        evidence: a.regions.flatMap((r) => (r.rules ? [r.rules.file] : [])),
      });
    }
  }
  return rows.sort(
    (x, y) => x.account.localeCompare(y.account) || x.region.localeCompare(y.region) || x.name.localeCompare(y.name),
  );
}
