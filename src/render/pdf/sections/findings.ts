/**
 * Top findings by rule: one row per rule and severity (finding-groups.ts), worst first, each with
 * how many findings it holds; then "and N more rules (M findings)" pointing at the workbook. A rule
 * with one finding shows its sentence; a rule with several names its resources whole, as many as fit,
 * then how many more.
 */
import type { Severity } from '../../../model/shared.js';
import { drawText, fitted, measurer, type Doc } from '../draw.js';
import { groupFindings, type FindingGroup } from '../finding-groups.js';
import { columns, PALETTE, SPACE, TYPE, type TextStyle } from '../layout.js';
import { cleanText, fitEnd } from '../text-fit.js';
import type { PageContext } from './context.js';
import { drawHeading } from './heading.js';

const SEVERITY_COLOUR: Record<Severity, string> = {
  critical: PALETTE.fail,
  high: PALETTE.fail,
  medium: PALETTE.warn,
  low: PALETTE.neutral,
  info: PALETTE.neutral,
};

/** At most this share of the line goes to the resource name before the rest of the sentence. */
const NAME_SHARE = 0.45;
/** Width of the count column (points) when every count fits in it ("×3", "×19", "×250"). */
const MIN_COUNT_WIDTH = 24;
/** At most this share of a grouped row goes to the rule's name; its resources get the rest. */
const RULE_SHARE = 0.5;

/**
 * The finding sentence fitted to one line. When it starts with its resource name (the usual
 * "bucket: what is wrong"), the name is shortened in the middle so the sentence stays readable.
 */
function findingLine(doc: Doc, text: string, resource: string, style: TextStyle, width: number): string {
  const clean = cleanText(text);
  const name = cleanText(resource);
  const measure = measurer(doc, style);
  if (measure(clean) <= width || !name || !clean.startsWith(name)) return fitted(doc, clean, style, width);
  const shortName = fitted(doc, name, style, Math.min(measure(name), width * NAME_SHARE), 'middle');
  const rest = clean.slice(name.length);
  return shortName + fitted(doc, rest, style, width - measure(shortName));
}

/**
 * The rule's name as the reader knows it: the control's title, else the finding source's wording, else
 * what its findings say (the words their sentences share after the resource name, e.g. "Plain-HTTP
 * requests not denied"), else a general label. Never its id: an id is operator vocabulary.
 */
function ruleName(ctx: PageContext, group: FindingGroup): string {
  const control = ctx.packet.controls.find((c) => c.id === group.rule);
  if (control) return control.title;
  if (ctx.has(`findings.rules.${group.rule}`)) return ctx.t(`findings.rules.${group.rule}`);
  const shared = sharedWords(group.findings.map((f) => sentenceAfterResource(f.text, f.resource)));
  return shared ? shared.charAt(0).toUpperCase() + shared.slice(1) : ctx.t('findings.ruleUnnamed');
}

/** A finding's sentence without its leading "<resource>: ". */
function sentenceAfterResource(text: string, resource: string): string {
  const prefix = `${resource}: `;
  return resource && text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

/** The leading words every sentence shares (a word with a parenthesis or colon ends it), or "" if none. */
function sharedWords(sentences: string[]): string {
  const words = sentences.map((s) => s.split(' '));
  const first = words[0] ?? [];
  const shared: string[] = [];
  for (const [i, word] of first.entries()) {
    if (/[(:)]/.test(word) || !words.every((w) => w[i] === word)) break;
    shared.push(word);
  }
  return shared.join(' ');
}

/**
 * "<rule>: name-1, name-2 and 3 more": names whole (an identifier is never cut), as many as fit.
 * When not even one fits, the row counts them ("<rule>: 300 resources").
 */
function groupLine(ctx: PageContext, group: FindingGroup, width: number): string {
  const measure = measurer(ctx.doc, TYPE.cell);
  const names = group.resources.map(cleanText);
  const separator = ctx.t('findings.resourceSeparator');
  const fullRule = cleanText(ruleName(ctx, group));
  const rule = fitEnd(fullRule, Math.min(measure(fullRule), width * RULE_SHARE), measure);
  const line = (shown: number) => {
    const rest = names.length - shown;
    const list = names.slice(0, shown).join(separator);
    const more = rest > 0 ? ctx.t('findings.resourcesMore', { count: rest }) : '';
    return cleanText(ctx.t('findings.groupLine', { rule, resources: list, more }));
  };
  // No line holding more names than the first whose names alone overflow can fit: start there, so a rule
  // with 10,000 resources is measured a few times, not 10,000 (render stays linear).
  let most = 1;
  while (most < names.length && measure(names.slice(0, most).join(separator)) <= width) most++;
  for (let shown = most; shown >= 1; shown--) if (measure(line(shown)) <= width) return line(shown);
  return fitEnd(cleanText(ctx.t('findings.groupCount', { rule, count: names.length })), width, measure);
}

function rowText(ctx: PageContext, group: FindingGroup, width: number): string {
  const only = group.findings.length === 1 ? group.findings[0] : undefined;
  return only ? findingLine(ctx.doc, only.text, only.resource, TYPE.cell, width) : groupLine(ctx, group, width);
}

/** `count` is the number of groups (rules), `maxRows` how many of them the page shows. */
export function findingsHeight(count: number, maxRows: number): number {
  const rows = Math.min(count, maxRows);
  const more = count > maxRows || count === 0 ? SPACE.moreLine : 0;
  return SPACE.headingHeight + rows * SPACE.findingRow + more + SPACE.afterSection;
}

/** How many rows the findings would fill if every rule were shown. */
export function findingGroupCount(ctx: PageContext): number {
  return groupFindings(ctx.packet.findings).length;
}

export function drawFindings(ctx: PageContext, y: number, maxRows: number): number {
  const { doc, packet, geometry: g } = ctx;
  const groups = groupFindings(packet.findings);
  const shown = groups.slice(0, maxRows);
  y = drawHeading(
    ctx,
    y,
    ctx.t('findings.heading'),
    ctx.t('findings.note', { shown: shown.length, rules: groups.length, total: packet.findings.length }),
  );
  if (groups.length === 0) {
    drawText(doc, ctx.t('findings.none'), g.left + 4, y + 2, TYPE.more, { width: g.contentWidth });
    return y + SPACE.moreLine + SPACE.afterSection;
  }
  // The count column is as wide as its widest count ("×10,000" at a large tenant), never cut.
  const countText = (group: FindingGroup) => ctx.t('findings.count', { count: group.findings.length });
  const countWidth = Math.max(
    MIN_COUNT_WIDTH,
    ...shown.map((group) => measurer(doc, TYPE.cell)(cleanText(countText(group))) + 0.5),
  );
  const [sev, count, text] = columns(
    g.left + 4,
    g.contentWidth - 4,
    [44, countWidth, g.contentWidth - 56 - countWidth],
    6,
  );
  if (!sev || !count || !text) throw new Error('findings list needs three columns');
  shown.forEach((group, i) => {
    const rowY = y + i * SPACE.findingRow + 2;
    drawText(
      doc,
      ctx.t(`severity.${group.severity}`),
      sev.x,
      rowY,
      { ...TYPE.cellBold, color: SEVERITY_COLOUR[group.severity] },
      { width: sev.width },
    );
    drawText(
      doc,
      countText(group),
      count.x,
      rowY,
      { ...TYPE.cell, color: PALETTE.muted },
      { width: count.width, align: 'right' },
    );
    drawText(doc, rowText(ctx, group, text.width), text.x, rowY, TYPE.cell, { width: text.width });
  });
  y += shown.length * SPACE.findingRow;
  if (groups.length > shown.length) {
    const left = groups.slice(shown.length);
    const findings = left.reduce((n, grp) => n + grp.findings.length, 0);
    drawText(doc, ctx.t('findings.more', { count: left.length, findings }), text.x, y + 3, TYPE.more, {
      width: text.width,
    });
    y += SPACE.moreLine;
  }
  return y + SPACE.afterSection;
}
