import type { Book } from '../book.js';
import type { CountedName, KeyUsage } from '../../../model/log-sections.js';
import type { PrincipalKind } from '../../../model/log-sections.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import type { CellInput } from '../cells.js';
import { lines } from '../labels.js';
import { columnsFor } from '../table.js';
import { openNotedTable, periodContext } from './log-sheet.js';

/**
 * Per key a total row "(all principals)" with calls by operation, bucket and error code, then one
 * row per principal (the packet keeps each key's top principals; the CSV export has them all).
 * An unexpected principal is marked in words ("No — unexpected") and in red.
 */
interface Row {
  keyArn: string;
  alias?: string;
  principal: CellInput;
  kind?: string;
  expected: CellInput;
  calls: number;
  failures: number;
  operations?: string;
  buckets?: string;
  errorCodes?: string;
  via?: string;
  firstSeen?: string;
  lastSeen?: string;
}

const counted = (items: CountedName[]) => lines(items.map((i) => `${i.name} ${i.count.toLocaleString('en-US')}`));

export function kindLabel(w: Wording, kind: PrincipalKind): string {
  return w.t(`xlsx.principalKind.${kind}`);
}

function expectedCell(w: Wording, expected: boolean | null): CellInput {
  if (expected === null) return { text: w.t('xlsx.logs.expected.notConfigured'), tone: 'neutral' };
  return expected
    ? { text: w.t('xlsx.logs.expected.yes'), tone: 'good' }
    : { text: w.t('xlsx.logs.expected.no'), tone: 'bad' };
}

function* rowsOf(w: Wording, key: KeyUsage, alias: string | undefined): Generator<{ row: Row; bold: boolean }> {
  const unexpected = key.unexpectedPrincipals.length;
  yield {
    bold: true,
    row: {
      keyArn: key.keyArn,
      alias,
      principal: w.t('xlsx.logs.keyTotal'),
      expected: !key.expectationConfigured
        ? { text: w.t('xlsx.logs.expected.notConfigured'), tone: 'neutral' }
        : unexpected > 0
          ? { text: w.t('xlsx.logs.unexpectedCount', { count: unexpected }), tone: 'bad' }
          : { text: w.t('xlsx.logs.noneUnexpected'), tone: 'good' },
      calls: key.calls,
      failures: key.failures.total,
      operations: counted(key.byOperation),
      buckets: counted(key.byBucket),
      errorCodes: counted(key.failures.byErrorCode),
    },
  };
  const details = new Map(key.unexpectedPrincipals.map((u) => [u.principal, u]));
  for (const p of key.byPrincipal) {
    const u = details.get(p.principal);
    yield {
      bold: false,
      row: {
        keyArn: key.keyArn,
        alias,
        principal: p.expected === false ? { text: p.principal, tone: 'bad' } : p.principal,
        kind: kindLabel(w, p.kind),
        expected: expectedCell(w, p.expected),
        calls: p.calls,
        failures: p.failures,
        operations: u ? lines(u.operations) : undefined,
        via: lines(p.via),
        firstSeen: u?.firstSeen,
        lastSeen: u?.lastSeen,
      },
    };
  }
}

export async function addKeyUsageSheet(book: Book, w: Wording, p: Packet, csv: string): Promise<void> {
  const s = p.sections.keyUsage;
  const columns = columnsFor<Row>(w, 'keyUsage', [
    { id: 'key', value: (r) => r.keyArn },
    { id: 'alias', value: (r) => r.alias },
    { id: 'principal', value: (r) => r.principal },
    { id: 'kind', value: (r) => r.kind },
    { id: 'expected', value: (r) => r.expected },
    { id: 'calls', format: 'count', value: (r) => r.calls },
    { id: 'failures', format: 'count', value: (r) => r.failures },
    { id: 'operations', wrap: true, value: (r) => r.operations },
    { id: 'buckets', wrap: true, value: (r) => r.buckets },
    { id: 'errorCodes', wrap: true, value: (r) => r.errorCodes },
    { id: 'via', value: (r) => r.via },
    { id: 'firstSeen', when: { zone: p.period.timeZone, kind: 'datetime' }, value: (r) => r.firstSeen },
    { id: 'lastSeen', when: { zone: p.period.timeZone, kind: 'datetime' }, value: (r) => r.lastSeen },
  ]);
  const note =
    s.state === 'collected'
      ? w.t('xlsx.logs.keyUsageNote', { calls: s.totals.calls, keys: s.keys.length, csv, ...periodContext(s.period) })
      : w.t('xlsx.logs.notCollected', { reason: s.reason });
  const { sheet, table } = await openNotedTable(book, w.t('xlsx.sheets.keyUsage'), columns, note);
  if (s.state === 'collected') {
    const aliases = new Map(p.keys.filter((k) => k.arn && k.alias).map((k) => [k.arn!, k.alias!]));
    for (const key of s.keys)
      for (const { row, bold } of rowsOf(w, key, aliases.get(key.keyArn))) await table.add(row, { bold });
  }
  const last = table.finish();
  // Unread CloudTrail records under the table, outside the filter: a partial read is never shown as a clean one.
  if (s.state === 'collected' && (s.skipped.count > 0 || s.problems.length > 0)) {
    await sheet.row(
      [
        {
          value: w.t('xlsx.logs.keyProblems', { skipped: s.skipped.count, problems: s.problems.length }),
          bold: true,
          spill: true,
        },
      ],
      last + 2,
    );
    for (const pr of [...s.skipped.samples, ...s.problems]) {
      await sheet.row([
        { value: w.t('xlsx.logs.skippedSample', { file: pr.file, line: pr.line ?? '' }), spill: true },
        undefined,
        { value: pr.message, spill: true },
      ]);
    }
  }
  await sheet.finish();
}
