import type { Book } from '../book.js';
import type { Agreement, AwsConfigCollected, AwsVerdict, RecorderRow } from '../../../model/config-sections.js';
import type { Packet } from '../../../model/packet.js';
import type { Verdict } from '../../../model/shared.js';
import type { Wording } from '../../../wording/wording.js';
import type { CellInput, Tone } from '../cells.js';
import { verdictCell } from '../labels.js';
import { columnsFor } from '../table.js';
import { openNotedTable } from './log-sheet.js';

/** One line of the sheet: a recorder, a rule × resource verdict pair, or a configuration change. */
interface Row {
  section: 'recorder' | 'rule' | 'change';
  account: string;
  region: string;
  rule?: string;
  identifier?: string | null;
  control?: string | null;
  resource?: string;
  aws?: CellInput;
  ours?: Verdict | null;
  agreement?: Agreement;
  time?: string;
  author?: string;
  detail?: string;
}

const RECORDER_TONE: Record<RecorderRow['state'], Tone> = {
  recording: 'good',
  not_recording: 'warn',
  unreadable: 'warn',
  not_collected: 'neutral',
};
const AWS_TONE: Record<AwsVerdict, Tone> = {
  COMPLIANT: 'good',
  NON_COMPLIANT: 'bad',
  NOT_APPLICABLE: 'neutral',
  INSUFFICIENT_DATA: 'warn',
  NO_RESULT: 'neutral',
};
// A disagreement is what an auditor looks for first: the only red in the column.
const AGREEMENT_TONE: Record<Agreement, Tone> = {
  agree: 'good',
  disagree: 'bad',
  not_comparable: 'neutral',
  no_control: 'neutral',
};

function resourceLabel(w: Wording, type: string, resource: string): string {
  const key = `xlsx.awsConfig.resourceType.${type}`;
  return w.has(key) ? `${w.t(key)} ${resource}` : `${type} ${resource}`;
}

/** AWS Config: recorder state per account and region, AWS's verdicts beside ours, then the period's changes. */
export async function addAwsConfigSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  const columns = columnsFor<Row>(w, 'awsConfig', [
    { id: 'section', value: (r) => w.t(`xlsx.awsConfig.section.${r.section}`) },
    { id: 'account', value: (r) => r.account },
    { id: 'region', value: (r) => r.region },
    { id: 'rule', value: (r) => r.rule },
    { id: 'identifier', value: (r) => r.identifier ?? undefined },
    { id: 'control', value: (r) => r.control ?? undefined },
    { id: 'resource', value: (r) => r.resource },
    { id: 'aws', value: (r) => r.aws },
    { id: 'ours', value: (r) => (r.ours ? verdictCell(w, r.ours) : undefined) },
    {
      id: 'agreement',
      value: (r) =>
        r.agreement
          ? { text: w.t(`xlsx.awsConfig.agreement.${r.agreement}`), tone: AGREEMENT_TONE[r.agreement] }
          : undefined,
    },
    { id: 'time', when: { zone: p.period.timeZone, kind: 'datetime' }, value: (r) => r.time },
    { id: 'author', value: (r) => r.author },
    { id: 'detail', wrap: true, value: (r) => r.detail },
  ]);
  const s = p.sections.awsConfig;
  const note =
    s.state !== 'collected'
      ? w.t('xlsx.awsConfig.notCollected', { reason: s.reason })
      : w.t('xlsx.awsConfig.note', { start: s.period.startUtc, end: s.period.endUtc, ...s.counts });
  const { sheet, table } = await openNotedTable(book, w.t('xlsx.sheets.awsConfig'), columns, note);
  if (s.state === 'collected') for (const row of rowsOf(w, s)) await table.add(row);
  table.finish();
  await sheet.finish();
}

function* rowsOf(w: Wording, s: AwsConfigCollected): Generator<Row> {
  for (const r of s.recorders) {
    yield {
      section: 'recorder',
      account: r.account,
      region: r.region,
      ...(r.recorder ? { rule: r.recorder } : {}),
      aws: { text: w.t(`xlsx.awsConfig.recorderState.${r.state}`), tone: RECORDER_TONE[r.state] },
      detail: r.text,
    };
  }
  for (const rule of s.rules) {
    const head = {
      section: 'rule' as const,
      account: rule.account,
      region: rule.region,
      rule: rule.name,
      identifier: rule.identifier,
      control: rule.controlId,
    };
    if (rule.state !== 'evaluated') {
      yield {
        ...head,
        aws: { text: w.t(`xlsx.awsConfig.ruleState.${rule.state}`), tone: 'warn' },
        ...(rule.reason ? { detail: rule.reason } : {}),
      };
      continue;
    }
    for (const x of rule.resources) {
      yield {
        ...head,
        resource: resourceLabel(w, x.resourceType, x.resource),
        aws: { text: w.t(`xlsx.awsConfig.aws.${x.aws}`), tone: AWS_TONE[x.aws] },
        ours: x.ours,
        agreement: x.agreement,
        ...(x.awsRecordedAt ? { time: x.awsRecordedAt } : {}),
        detail: x.explanation ?? [x.oursReason, x.annotation].filter(Boolean).join(' · '),
      };
    }
    if (rule.resources.length === 0 || rule.outOfScope > 0) {
      yield {
        ...head,
        detail:
          rule.resources.length === 0 && rule.outOfScope === 0
            ? w.t('xlsx.awsConfig.ruleState.evaluated')
            : w.t('xlsx.awsConfig.outOfScope', { count: rule.outOfScope }),
      };
    }
  }
  for (const h of s.history) {
    const head = {
      section: 'change' as const,
      account: h.account,
      region: h.region,
      resource: resourceLabel(w, h.resourceType, h.resource),
    };
    if (h.state !== 'read') {
      yield { ...head, ...(h.reason ? { detail: h.reason } : {}) };
      continue;
    }
    for (const c of h.changes) {
      yield {
        ...head,
        time: c.time,
        author: c.authorEvent ? `${c.author} (${c.authorEvent})` : c.author,
        detail: c.summary,
      };
    }
  }
}
