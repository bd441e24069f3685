import type { Book } from '../book.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { pctFraction, type CellInput, type NumberFormat } from '../cells.js';
import { completenessCell, statusCell } from '../labels.js';
import { wallClock } from '../../../format/zone-day.js';

/** A key/value sheet (Field, Value, Detail) followed by the missing-evidence and excluded-bucket lists. */

interface Line {
  field: string;
  value: CellInput;
  format?: NumberFormat;
  detail?: string;
}

function pctOrNotMeasured(w: Wording, pct: number | null): Pick<Line, 'value' | 'format'> {
  return pct === null ? { value: w.t('xlsx.values.notMeasured') } : { value: pctFraction(pct), format: 'pct' };
}

/** An instant as a real date in UTC (the field names the zone), its wall-clock time in the tenant's zone beside it. */
function utcTime(iso: string, zone: string): Pick<Line, 'value' | 'format' | 'detail'> {
  const utc = wallClock(iso, 'UTC');
  const local = wallClock(iso, zone);
  if (!utc || !local) return { value: iso };
  return { value: utc, format: 'datetime', detail: `${local.toISOString().slice(0, 19).replace('T', ' ')} ${zone}` };
}

/** One line per bucket type: how many are in scope, and whether every listing of the type was read. */
function scopeLines(w: Wording, p: Packet): Line[] {
  // Packets made before bucket types were counted have no such lines.
  return (p.scope?.types ?? []).map((s) => ({
    field: w.t('xlsx.summary.scopeType', { name: w.t(`xlsx.summary.scopeTypeName.${s.type}`) }),
    value: s.state === 'not_read' ? w.t('xlsx.summary.scopeNotRead') : w.t('xlsx.summary.scopeCount', { ...s }),
    detail:
      s.state === 'unlisted'
        ? s.unlisted.map((u) => w.t('xlsx.summary.scopeUnlisted', { ...u })).join('\n')
        : s.state === 'listed'
          ? w.t('xlsx.summary.scopeListed')
          : w.t('xlsx.summary.scopeNotReadDetail'),
  }));
}

function summaryLines(w: Wording, p: Packet): Line[] {
  const f = (key: string) => w.t(`xlsx.summary.${key}`);
  const ofTotal = (n: number, total: number, unit: string) =>
    w.t(`xlsx.summary.ofTotal`, { n, total, unit: w.t(`xlsx.summary.units.${unit}`) });
  const identity = p.collection.identity;
  return [
    { field: f('tenant'), value: p.tenant.displayName, detail: p.tenant.id },
    { field: f('operator'), value: p.operator },
    { field: f('period'), value: p.period.label, detail: p.period.timeZone },
    { field: f('periodStartUtc'), ...utcTime(p.period.startUtc, p.period.timeZone) },
    { field: f('periodEndUtc'), ...utcTime(p.period.endUtc, p.period.timeZone) },
    { field: f('generatedAt'), ...utcTime(p.generatedAt, p.period.timeZone) },
    { field: f('status'), value: statusCell(w, p.status), detail: p.statusReason },
    { field: f('headline'), value: p.headline },
    { field: f('completeness'), value: completenessCell(w, p.completeness.complete), detail: p.completeness.text },
    ...scopeLines(w, p),
    { field: f('objectsEncrypted'), ...pctOrNotMeasured(w, p.kpis.objectsPct), detail: p.kpis.coverageBasis },
    { field: f('bytesEncrypted'), ...pctOrNotMeasured(w, p.kpis.bytesPct), detail: p.kpis.coverageBasis },
    {
      field: f('defaultEncryption'),
      value: ofTotal(p.kpis.defaultEncryption.enabled, p.kpis.defaultEncryption.total, 'buckets'),
    },
    { field: f('sseEnforced'), value: ofTotal(p.kpis.sseEnforced.yes, p.kpis.sseEnforced.total, 'buckets') },
    { field: f('tlsEnforced'), value: ofTotal(p.kpis.tlsEnforced.yes, p.kpis.tlsEnforced.total, 'buckets') },
    { field: f('keysRotating'), value: ofTotal(p.kpis.keysRotating.rotating, p.kpis.keysRotating.total, 'keys') },
    // Schema-1 packets recorded no framework list; they re-render without this line.
    ...(p.frameworks
      ? [
          {
            field: f('frameworks'),
            value: p.frameworks.map((fw) => fw.name).join('\n'),
            detail: p.frameworks.map((fw) => fw.source).join('\n'),
          },
        ]
      : []),
    { field: f('schemaVersion'), value: p.schemaVersion },
    { field: f('tool'), value: `${p.tool.name} ${p.tool.version}` },
    { field: f('collectionMode'), value: p.collection.mode },
    {
      field: f('identity'),
      value: identity?.arn ?? identity?.account ?? w.t('xlsx.values.none'),
      detail: identity?.note,
    },
    { field: f('configSha256'), value: p.collection.configSha256 },
    { field: f('sourceInventory'), value: p.sources.inventory },
    { field: f('sourceAccessLogs'), value: p.sources.accessLogs },
    { field: f('sourceCloudTrail'), value: p.sources.cloudTrail },
  ];
}

/** One number of the page: its defined name and the sheet row it is counted from (row 0: the missing-evidence list). */
interface Figure {
  name: string;
  key: string;
  value: number | null;
  format?: NumberFormat;
  from: { sheet: string; row: number };
}

/**
 * Where the page's numbers come from. Table sheets hold their header on row 1 (the log sheets on
 * row 2, under their note); the Coverage total sits under the last bucket.
 */
function pageFigures(w: Wording, p: Packet): Figure[] {
  const sheet = (key: string) => w.t(`xlsx.sheets.${key}`);
  const coverageTotal = { sheet: sheet('coverage'), row: p.buckets.length + 2 };
  const buckets = { sheet: sheet('buckets'), row: 1 };
  const keys = { sheet: sheet('keys'), row: 1 };
  const controls = { sheet: sheet('controls'), row: 1 };
  const count = (verdict: string) => p.controls.filter((c) => c.verdict === verdict).length;
  const pct = (v: number | null) => (v === null ? null : pctFraction(v));
  const denied = p.sections.deniedUploads;
  const k = p.kpis;
  return [
    { name: 'ObjectsEncrypted', key: 'objectsEncrypted', value: pct(k.objectsPct), format: 'pct', from: coverageTotal },
    { name: 'BytesEncrypted', key: 'bytesEncrypted', value: pct(k.bytesPct), format: 'pct', from: coverageTotal },
    { name: 'BucketsMeasured', key: 'measuredBuckets', value: p.coverage.measuredBuckets, from: coverageTotal },
    { name: 'BucketsInScope', key: 'totalBuckets', value: p.coverage.totalBuckets, from: buckets },
    { name: 'BucketsDefaultEncryption', key: 'defaultEncryption', value: k.defaultEncryption.enabled, from: buckets },
    { name: 'BucketsEnforcingSse', key: 'sseEnforced', value: k.sseEnforced.yes, from: buckets },
    { name: 'BucketsEnforcingTls', key: 'tlsEnforced', value: k.tlsEnforced.yes, from: buckets },
    { name: 'KeysRotating', key: 'keysRotating', value: k.keysRotating.rotating, from: keys },
    { name: 'Keys', key: 'keys', value: k.keysRotating.total, from: keys },
    { name: 'ControlsFailing', key: 'controlsFailing', value: count('fail'), from: controls },
    { name: 'ControlsNotEvaluated', key: 'controlsNotEvaluated', value: count('not_evaluated'), from: controls },
    { name: 'Controls', key: 'controls', value: p.controls.length, from: controls },
    { name: 'Findings', key: 'findings', value: p.findings.length, from: { sheet: sheet('findings'), row: 1 } },
    // The total row of the Denied uploads table: row 3, under the note and the header.
    {
      name: 'DeniedUploads',
      key: 'deniedUploads',
      value: denied.state === 'collected' ? denied.total : null,
      from: { sheet: sheet('deniedUploads'), row: denied.state === 'collected' ? 3 : 1 },
    },
    {
      name: 'MissingEvidence',
      key: 'missingEvidence',
      value: p.completeness.missing.length,
      from: { sheet: sheet('summary'), row: 0 },
    },
  ];
}

/** Field, Value, Detail: the detail and value columns wrap, the field column does not. */
const LAYOUT = {
  columns: [
    { min: 12, max: 40 },
    { min: 12, max: 56, wrap: true },
    { min: 12, max: 72, wrap: true },
  ],
  frozenRows: 1,
};

export async function addSummarySheet(book: Book, w: Wording, p: Packet): Promise<void> {
  const sheet = book.addSheet(w.t('xlsx.sheets.summary'), LAYOUT);
  const put = (cells: Array<{ value: CellInput; format?: NumberFormat }>, bold = false) =>
    sheet.row(cells.map(({ value, format }, i) => ({ value, format, bold, wrap: i > 0 })));
  const heading = (key: string) => sheet.row([{ value: w.t(key), bold: true }], sheet.next + 1);
  const headerRow = (section: string, keys: string[]) =>
    put(
      keys.map((k) => ({ value: w.t(`xlsx.columns.${section}.${k}`) })),
      true,
    );

  await headerRow('summary', ['field', 'value', 'detail']);
  for (const line of summaryLines(w, p))
    await put([{ value: line.field }, { value: line.value, format: line.format }, { value: line.detail }]);

  await heading('xlsx.summary.missingEvidence');
  const missingHeader = sheet.next;
  await headerRow('missing', ['scope', 'source', 'reason']);
  if (p.completeness.missing.length === 0) await put([{ value: w.t('xlsx.values.none') }]);
  for (const m of p.completeness.missing) await put([{ value: m.scope }, { value: m.source }, { value: m.reason }]);

  await heading('xlsx.summary.excludedBuckets');
  await headerRow('excluded', ['bucket', 'account', 'reason']);
  if (p.excludedBuckets.length === 0) await put([{ value: w.t('xlsx.values.none') }]);
  for (const b of p.excludedBuckets) await put([{ value: b.name }, { value: b.account }, { value: b.reason }]);

  if (p.scopeUndetermined.length > 0) {
    await heading('xlsx.summary.scopeUndetermined');
    await headerRow('excluded', ['bucket', 'account', 'reason']);
    for (const b of p.scopeUndetermined) await put([{ value: b.name }, { value: b.account }, { value: b.reason }]);
  }

  // Every number of the page, as a number in a named cell, linked to the rows it is counted from.
  await heading('xlsx.summary.pageFigures');
  const name = w.t('xlsx.sheets.summary');
  for (const f of pageFigures(w, p)) {
    const from = f.from.row === 0 ? { sheet: name, row: missingHeader } : f.from;
    const row = await sheet.row([
      { value: w.t(`xlsx.summary.figure.${f.key}`) },
      { value: f.value ?? w.t('xlsx.values.notMeasured'), format: f.format },
      {
        value: w.t('xlsx.summary.source', { sheet: from.sheet, row: from.row }),
        link: { sheet: from.sheet, cell: `A${from.row}` },
      },
    ]);
    book.defineName(f.name, name, `B${row}`);
  }
  await sheet.finish();
}
