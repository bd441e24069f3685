import type { Workbook, Worksheet } from 'exceljs';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { displayLength, pctFraction, setCell, type CellInput, type NumberFormat } from '../cells.js';
import { completenessCell, statusCell } from '../labels.js';

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

function summaryLines(w: Wording, p: Packet): Line[] {
  const f = (key: string) => w.t(`xlsx.summary.${key}`);
  const ofTotal = (n: number, total: number, unit: string) =>
    w.t(`xlsx.summary.ofTotal`, { n, total, unit: w.t(`xlsx.summary.units.${unit}`) });
  const identity = p.collection.identity;
  return [
    { field: f('tenant'), value: p.tenant.displayName, detail: p.tenant.id },
    { field: f('operator'), value: p.operator },
    { field: f('period'), value: p.period.label, detail: p.period.timeZone },
    { field: f('periodStartUtc'), value: p.period.startUtc },
    { field: f('periodEndUtc'), value: p.period.endUtc },
    { field: f('generatedAt'), value: p.generatedAt },
    { field: f('status'), value: statusCell(w, p.status), detail: p.statusReason },
    { field: f('headline'), value: p.headline },
    { field: f('completeness'), value: completenessCell(w, p.completeness.complete), detail: p.completeness.text },
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

const WIDTHS = { min: 12, max: [32, 56, 72] };

export function addSummarySheet(wb: Workbook, w: Wording, p: Packet): Worksheet {
  const sheet = wb.addWorksheet(w.t('xlsx.sheets.summary'));
  const widths = [0, 0, 0];
  let rowNumber = 0;

  const put = (cells: Array<{ value: CellInput; format?: NumberFormat }>, bold = false) => {
    rowNumber += 1;
    cells.forEach(({ value, format }, i) => {
      const cell = sheet.getCell(rowNumber, i + 1);
      setCell(cell, value, format);
      if (bold) cell.font = { bold: true };
      if (i === 2 || i === 1) cell.alignment = { vertical: 'top', wrapText: true };
      widths[i] = Math.max(widths[i] ?? 0, displayLength(value, format));
    });
  };
  const heading = (key: string) => {
    rowNumber += 1; // blank spacer row
    put([{ value: w.t(key) }], true);
  };

  put(
    ['field', 'value', 'detail'].map((k) => ({ value: w.t(`xlsx.columns.summary.${k}`) })),
    true,
  );
  for (const line of summaryLines(w, p))
    put([{ value: line.field }, { value: line.value, format: line.format }, { value: line.detail }]);

  heading('xlsx.summary.missingEvidence');
  put(
    ['scope', 'source', 'reason'].map((k) => ({ value: w.t(`xlsx.columns.missing.${k}`) })),
    true,
  );
  if (p.completeness.missing.length === 0) put([{ value: w.t('xlsx.values.none') }]);
  for (const m of p.completeness.missing) put([{ value: m.scope }, { value: m.source }, { value: m.reason }]);

  heading('xlsx.summary.excludedBuckets');
  put(
    ['bucket', 'account', 'reason'].map((k) => ({ value: w.t(`xlsx.columns.excluded.${k}`) })),
    true,
  );
  if (p.excludedBuckets.length === 0) put([{ value: w.t('xlsx.values.none') }]);
  for (const b of p.excludedBuckets) put([{ value: b.name }, { value: b.account }, { value: b.reason }]);

  if (p.scopeUndetermined.length > 0) {
    heading('xlsx.summary.scopeUndetermined');
    put(
      ['bucket', 'account', 'reason'].map((k) => ({ value: w.t(`xlsx.columns.excluded.${k}`) })),
      true,
    );
    for (const b of p.scopeUndetermined) put([{ value: b.name }, { value: b.account }, { value: b.reason }]);
  }

  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: 1 }];
  widths.forEach((width, i) => {
    sheet.getColumn(i + 1).width = Math.min(WIDTHS.max[i] ?? 48, Math.max(WIDTHS.min, width + 2));
  });
  return sheet;
}
