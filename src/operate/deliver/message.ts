/**
 * One delivery message, then its shapes: a Slack incoming-webhook payload (text fallback plus Block
 * Kit blocks), a Teams Workflows webhook payload (a message carrying one Adaptive Card), the summary
 * as plain JSON, and the text of an e-mail.
 */
import type { Portfolio } from '../portfolio.js';
import type { SummaryLink, TenantSummary } from './summary.js';
import { evidenceState } from '../../format/evidence-state.js';

export interface DeliveryMessage {
  kind: 'tenant' | 'portfolio';
  title: string;
  /** One line: the notification text and the fallback where blocks or cards are not shown. */
  text: string;
  facts: Array<{ name: string; value: string }>;
  sections: Array<{ heading: string; lines: string[] }>;
  links: SummaryLink[];
  /** The summary itself, for the json format. */
  data: TenantSummary | { period: string; tenants: Portfolio['tenants'] };
}

export function tenantMessage(s: TenantSummary): DeliveryMessage {
  const status = `${s.provisional ? 'PROVISIONAL ' : ''}${s.status.toUpperCase()}`;
  const evidence = evidenceState(s.complete, s.missingEvidence);
  return {
    kind: 'tenant',
    title: `${s.displayName} (${s.tenant}) ${s.period}: ${status}`,
    text: `${s.displayName} ${s.period}: ${status}, ${s.failingControls.length} failing control(s), evidence ${evidence}. ${s.headline}`,
    facts: [
      { name: 'Status', value: status },
      { name: 'Why', value: s.statusReason },
      { name: 'Failing controls', value: String(s.failingControls.length) },
      { name: 'Evidence', value: evidence },
    ],
    sections: [
      ...(s.failingControls.length > 0
        ? [{ heading: 'Failing controls', lines: s.failingControls.map((c) => `${c.title}: ${c.summary}`) }]
        : []),
      { heading: 'Since last month', lines: s.changes },
    ],
    links: s.links,
    data: s,
  };
}

export function portfolioMessage(p: Portfolio, links: SummaryLink[]): DeliveryMessage {
  const count = (status: string) => p.tenants.filter((t) => t.status === status).length;
  const states = ['compliant', 'attention', 'incomplete', 'unverified', 'unreadable']
    .map((s) => [s, count(s)] as const)
    .filter(([, n]) => n > 0);
  return {
    kind: 'portfolio',
    title: `Portfolio ${p.period}: ${p.tenants.length} tenant(s)`,
    text: `Portfolio ${p.period}: ${states.map(([s, n]) => `${n} ${s.toUpperCase()}`).join(', ') || 'no packets'}`,
    facts: states.map(([s, n]) => ({ name: s.toUpperCase(), value: String(n) })),
    sections: [
      {
        heading: 'Tenants',
        lines: p.tenants.map(
          (t) =>
            `${t.displayName} (${t.tenant}): ${t.status.toUpperCase()}${t.failingControls ? `, ${t.failingControls} failing control(s)` : ''}${t.complete ? '' : ', evidence incomplete'}`,
        ),
      },
    ],
    links,
    data: { period: p.period, tenants: p.tenants },
  };
}

const isWebLink = (href: string) => /^https:\/\//.test(href);

/** Slack treats &, < and > as markup (<!channel> would ping everyone): escape everything from packets. */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Slack's limit for a section's text is 3,000 characters. */
const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export function slackPayload(m: DeliveryMessage): unknown {
  const links = m.links.map((l) =>
    isWebLink(l.href) ? `<${slackEscape(l.href)}|${slackEscape(l.label)}>` : `\`${slackEscape(l.href)}\``,
  );
  return {
    text: slackEscape(m.text),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(slackEscape(m.title), 150) } },
      {
        type: 'section',
        fields: m.facts
          .slice(0, 10)
          .map((f) => ({ type: 'mrkdwn', text: clip(`*${slackEscape(f.name)}*\n${slackEscape(f.value)}`, 2000) })),
      },
      ...m.sections.map((s) => ({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clip(`*${slackEscape(s.heading)}*\n${s.lines.map((l) => `• ${slackEscape(l)}`).join('\n')}`, 3000),
        },
      })),
      ...(links.length > 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: clip(links.join('\n'), 3000) } }] : []),
    ],
  };
}

export function teamsPayload(m: DeliveryMessage): unknown {
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: m.title, size: 'Large', weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: m.text, wrap: true },
      { type: 'FactSet', facts: m.facts.map((f) => ({ title: f.name, value: f.value })) },
      ...m.sections.flatMap((s) => [
        { type: 'TextBlock', text: s.heading, weight: 'Bolder', wrap: true, spacing: 'Medium' },
        { type: 'TextBlock', text: s.lines.map((l) => `- ${l}`).join('\n'), wrap: true },
      ]),
      ...m.links
        .filter((l) => !isWebLink(l.href))
        .map((l) => ({ type: 'TextBlock', text: l.href, wrap: true, fontType: 'Monospace', isSubtle: true })),
    ],
    actions: m.links
      .filter((l) => isWebLink(l.href))
      .map((l) => ({ type: 'Action.OpenUrl', title: l.label, url: l.href })),
  };
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}

export function jsonPayload(m: DeliveryMessage, tool: { name: string; version: string }): unknown {
  return { tool, kind: m.kind, summary: m.data };
}

export function emailText(m: DeliveryMessage): string {
  const lines = [m.title, '', m.text, ''];
  for (const f of m.facts) lines.push(`${f.name}: ${f.value}`);
  for (const s of m.sections) lines.push('', `${s.heading}:`, ...s.lines.map((l) => `  - ${l}`));
  if (m.links.length > 0) lines.push('', 'Files:', ...m.links.map((l) => `  ${l.href}`));
  return `${lines.join('\n')}\n`;
}
