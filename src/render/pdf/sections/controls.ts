/** The controls table: title, result word, scope, framework references. Packet order. */
import type { ControlResult } from '../../../model/packet.js';
import type { Verdict } from '../../../model/shared.js';
import { box, drawText, measurer } from '../draw.js';
import { columns, PALETTE, SPACE, TYPE, type TextStyle } from '../layout.js';
import { fitMiddle, cleanText, type Measure } from '../text-fit.js';
import type { PageContext } from './context.js';
import { drawHeading } from './heading.js';

const VERDICT_COLOUR: Record<Verdict, string> = {
  pass: PALETTE.pass,
  fail: PALETTE.fail,
  not_evaluated: PALETTE.warn,
  not_applicable: PALETTE.neutral,
  exception: PALETTE.warn,
};

/**
 * Framework requirement ids, each once, in reference order, as many as fit, then "+N" for the
 * rest: "SC-28 · CBC-AWS-S3-1 +2". The workbook lists them all.
 */
export function shortReferences(
  ids: string[],
  separator: string,
  more: (count: number) => string,
  width: number,
  measure: Measure,
): string {
  const unique = [...new Set(ids.map(cleanText))];
  for (let shown = unique.length; shown >= 1; shown--) {
    const rest = unique.length - shown;
    const text = unique.slice(0, shown).join(separator) + (rest > 0 ? ` ${more(rest)}` : '');
    if (measure(text) <= width) return text;
  }
  const rest = unique.length - 1;
  const tail = rest > 0 ? ` ${more(rest)}` : '';
  return fitMiddle(unique[0] ?? '', width - measure(tail), measure) + tail;
}

/**
 * The references of one control, grouped by framework in reference order ("CIS 3.1.1 · NIST SC-8, SC-13"),
 * as many groups as fit, then "+N" for the references left out. References without a short name
 * (schema-1 packets) are bare ids, as they were printed then.
 */
function groupedReferences(
  refs: ReadonlyArray<{ short?: string; id: string }>,
  separators: { group: string; id: string },
  more: (count: number) => string,
  width: number,
  measure: Measure,
): string {
  if (refs.every((r) => r.short === undefined))
    return shortReferences(
      refs.map((r) => r.id),
      separators.group,
      more,
      width,
      measure,
    );
  const groups: Array<{ short: string; ids: string[] }> = [];
  for (const r of refs) {
    const short = cleanText(r.short ?? '');
    const last = groups.at(-1);
    if (last && last.short === short) {
      if (!last.ids.includes(cleanText(r.id))) last.ids.push(cleanText(r.id));
    } else groups.push({ short, ids: [cleanText(r.id)] });
  }
  const label = (g: { short: string; ids: string[] }) => `${g.short ? `${g.short} ` : ''}${g.ids.join(separators.id)}`;
  const total = groups.reduce((n, g) => n + g.ids.length, 0);
  for (let shown = groups.length; shown >= 1; shown--) {
    const rest = total - groups.slice(0, shown).reduce((n, g) => n + g.ids.length, 0);
    const text = groups.slice(0, shown).map(label).join(separators.group) + (rest > 0 ? ` ${more(rest)}` : '');
    if (measure(text) <= width) return text;
  }
  const rest = total - (groups[0]?.ids.length ?? 0);
  const tail = rest > 0 ? ` ${more(rest)}` : '';
  return fitMiddle(groups[0] ? label(groups[0]) : '', width - measure(tail), measure) + tail;
}

/** Resources whose FAIL an active exception turned into EXCEPTION, over all controls. */
export function exceptedResources(controls: readonly ControlResult[]): number {
  return controls.reduce((n, c) => n + c.counts.exception, 0);
}

/** `footnote`: whether the table ends with the "* N resources covered by an exception" line. */
export function controlsHeight(count: number, maxRows: number, footnote = false): number {
  const rows = Math.min(count, maxRows);
  const more = count > maxRows || count === 0 ? SPACE.moreLine : 0;
  return (
    SPACE.headingHeight +
    SPACE.columnHeadHeight +
    rows * SPACE.controlRow +
    more +
    (footnote ? SPACE.moreLine : 0) +
    SPACE.afterSection
  );
}

const FOOTNOTE_IDS = 4;
const MIN_TITLE_SCALE = 0.85;
const COLUMN_GAP = 8;
/** Share of the table the framework references keep at least: they count what they leave out ("+2"). */
const REFS_MIN_SHARE = 0.18;

export interface ControlColumnWidths {
  title: number;
  result: number;
  scope: number;
  refs: number;
}

/**
 * Widths of the four columns from what the shown rows need: the result column as wide as its widest
 * word, title and scope as wide as their longest text, the references what remains (the slack shared
 * by need). When title and scope do not fit beside the references' least share, they share what is left
 * by need, and a title or scope a little too long shrinks (drawControls) before anything is cut.
 */
export function controlColumns(usable: number, need: ControlColumnWidths): ControlColumnWidths {
  const rest = usable - need.result;
  const wanted = need.title + need.scope + need.refs;
  if (wanted <= rest) {
    const grow = (w: number) => w + ((rest - wanted) * w) / wanted;
    return { title: grow(need.title), result: need.result, scope: grow(need.scope), refs: grow(need.refs) };
  }
  const refs = Math.max(Math.min(need.refs, usable * REFS_MIN_SHARE), rest - need.title - need.scope);
  const shared = rest - refs;
  const title = (shared * need.title) / (need.title + need.scope);
  return { title, result: need.result, scope: shared - title, refs };
}

/** Ids of the register entries that excepted something this month, as the footnote names them. */
function appliedExceptionIds(ctx: PageContext): string[] {
  const s = ctx.packet.sections.exceptions;
  return s.state === 'evaluated' ? s.entries.filter((e) => e.appliedTo.length > 0).map((e) => e.id) : [];
}

export function drawControls(ctx: PageContext, y: number, maxRows: number): number {
  const { doc, packet, geometry: g } = ctx;
  const controls = packet.controls;
  const failing = controls.filter((c) => c.verdict === 'fail').length;
  // A control NOT EVALUATED for missing evidence is not counted as evaluated: "0 of 6 evaluated", never "6 evaluated".
  const evaluated = controls.filter((c) => c.verdict !== 'not_evaluated').length;
  // The heading names the frameworks the references belong to, by their workbook sheet names; schema-1
  // packets recorded none and keep the heading they were issued with.
  const frameworks = packet.frameworks ?? [];
  const note =
    frameworks.length > 0
      ? ctx.t('controls.noteFrameworks', {
          total: controls.length,
          evaluated,
          failing,
          frameworks: frameworks.map((fw) => fw.sheet).join(ctx.t('controls.refSeparator')),
        })
      : ctx.t('controls.note', { total: controls.length, evaluated, failing });
  y = drawHeading(ctx, y, ctx.t('controls.heading'), note);

  // When rows are cut, every FAIL and NOT EVALUATED control stays (the allocation leaves room for
  // them); the rows that give way are the others, from the end, and "and N more" counts them.
  const must = (c: ControlResult) => c.verdict === 'fail' || c.verdict === 'not_evaluated';
  const musts = controls.filter(must).length;
  let others = Math.max(0, maxRows - musts);
  let kept = maxRows;
  const shown =
    musts > maxRows ? controls.filter((c) => must(c) && kept-- > 0) : controls.filter((c) => must(c) || others-- > 0);
  const separators = { group: ctx.t('controls.refSeparator'), id: ctx.t('controls.refIdSeparator') };
  const refStyle = { ...TYPE.cell, color: PALETTE.muted };
  const moreRefs = (count: number) => ctx.t('controls.refsMore', { count });
  const wordOf = (c: ControlResult) =>
    ctx.t(`verdict.${c.verdict}`) + (c.counts.exception > 0 ? ctx.t('controls.exceptionMark') : '');
  const widest = (texts: string[], style: TextStyle) =>
    Math.max(0, ...texts.map((t) => measurer(doc, style)(cleanText(t))));
  // The packet's summary ("9,000 of 10,000 buckets pass · …"), or the same counts without the scope
  // noun, which the control's title names, when the summary or a title would otherwise be cut.
  const shortSummary = (c: ControlResult): string => {
    const { pass, fail, exception, not_evaluated: notEvaluated } = c.counts;
    const applicable = pass + fail + notEvaluated + exception;
    if (applicable === 0) return c.summary;
    return ctx.t('controls.summaryShort', { pass, applicable, fail, exception, notEvaluated });
  };
  const cut = (text: string, width: number) => measurer(doc, TYPE.cell)(cleanText(text)) * MIN_TITLE_SCALE > width;
  // Half a point of headroom: a text measured exactly as wide as its column is never cut.
  const need = {
    title: widest([ctx.t('controls.colControl'), ...shown.map((c) => c.title)], TYPE.cell) + 0.5,
    result:
      Math.max(widest([ctx.t('controls.colResult')], TYPE.columnHead), widest(shown.map(wordOf), TYPE.cellBold)) + 0.5,
    scope: widest([ctx.t('controls.colScope'), ...shown.map((c) => c.summary)], TYPE.cell) + 0.5,
    refs:
      widest(
        shown.map((c) => groupedReferences(c.references, separators, moreRefs, Infinity, measurer(doc, refStyle))),
        refStyle,
      ) + 0.5,
  };
  const usable = g.contentWidth - 8 - 3 * COLUMN_GAP;
  let w = controlColumns(usable, need);
  // A large tenant's counts make long summaries: one cut even when shrunk, or a title cut beside them,
  // and the summaries are drawn short; the columns are then shared again by the texts drawn.
  let summaries = shown.map((c) => c.summary);
  if (shown.some((c) => cut(c.summary, w.scope) || cut(c.title, w.title))) {
    summaries = shown.map(shortSummary);
    w = controlColumns(usable, { ...need, scope: widest([ctx.t('controls.colScope'), ...summaries], TYPE.cell) + 0.5 });
  }
  const [title, result, scope, refs] = columns(
    g.left + 4,
    g.contentWidth - 8,
    [w.title, w.result, w.scope, w.refs],
    COLUMN_GAP,
  );
  if (!title || !result || !scope || !refs) throw new Error('controls table needs four columns');
  const head = [
    [title, 'controls.colControl'],
    [result, 'controls.colResult'],
    [scope, 'controls.colScope'],
    [refs, 'controls.colRefs'],
  ] as const;
  for (const [col, key] of head) drawText(doc, ctx.t(key), col.x, y + 2, TYPE.columnHead, { width: col.width });
  y += SPACE.columnHeadHeight;

  if (controls.length === 0) {
    drawText(doc, ctx.t('controls.none'), title.x, y + 2, TYPE.more, { width: g.contentWidth });
    return y + SPACE.moreLine + SPACE.afterSection;
  }
  shown.forEach((c, i) => {
    const rowY = y + i * SPACE.controlRow;
    if (i % 2 === 0) box(doc, g.left, rowY, g.contentWidth, SPACE.controlRow, { fill: PALETTE.zebra });
    const textY = rowY + (SPACE.controlRow - TYPE.cell.size) / 2;
    // A title or scope a little too long for its column shrinks (to 85 %) before it is cut.
    const drawShrinking = (text: string, column: { x: number; width: number }) => {
      const scale = Math.max(MIN_TITLE_SCALE, Math.min(1, column.width / measurer(doc, TYPE.cell)(cleanText(text))));
      drawText(
        doc,
        text,
        column.x,
        textY + (1 - scale) * TYPE.cell.size * 0.7,
        { ...TYPE.cell, size: TYPE.cell.size * scale },
        { width: column.width },
      );
    };
    drawShrinking(c.title, title);
    // An asterisk marks a control with excepted resources, whatever its overall word (FAIL*, EXCEPTION*).
    const word = wordOf(c);
    drawText(
      doc,
      word,
      result.x,
      textY,
      { ...TYPE.cellBold, color: VERDICT_COLOUR[c.verdict] },
      { width: result.width },
    );
    drawShrinking(summaries[i] ?? c.summary, scope);
    const r = groupedReferences(c.references, separators, moreRefs, refs.width, measurer(doc, refStyle));
    drawText(doc, r || ctx.t('controls.noRefs'), refs.x, textY, refStyle, { width: refs.width });
  });
  y += shown.length * SPACE.controlRow;
  if (controls.length > shown.length) {
    drawText(doc, ctx.t('controls.more', { count: controls.length - shown.length }), title.x, y + 3, TYPE.more, {
      width: g.contentWidth,
    });
    y += SPACE.moreLine;
  }
  const excepted = exceptedResources(controls);
  if (excepted > 0) {
    // Exception ids whole, as many as fit, then "+N": an id is never cut ("EX-2026-10…X-2026-104").
    const all = appliedExceptionIds(ctx);
    const width = g.contentWidth - 8;
    const m = measurer(doc, TYPE.more);
    const textFor = (shown: number) => {
      const list = all.slice(0, shown).join(ctx.t('controls.idSeparator'));
      const rest = all.length - shown;
      const ids = rest > 0 ? `${list}${shown > 0 ? ' ' : ''}${ctx.t('controls.idsMore', { count: rest })}` : list;
      return cleanText(ctx.t('controls.footnote', { count: excepted, ids }));
    };
    let shown = Math.min(all.length, FOOTNOTE_IDS);
    while (shown > 0 && m(textFor(shown)) > width) shown--;
    drawText(doc, textFor(shown), title.x, y + 3, TYPE.more, { width });
    y += SPACE.moreLine;
  }
  return y + SPACE.afterSection;
}
