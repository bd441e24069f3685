import { describe, expect, it } from 'vitest';
import { emailText, slackPayload, teamsPayload, tenantMessage } from '../../../src/operate/deliver/message.js';
import type { TenantSummary } from '../../../src/operate/deliver/summary.js';

function summary(over: Partial<TenantSummary> = {}): TenantSummary {
  return {
    tenant: 'acme',
    displayName: 'ACME <!channel> & Co',
    period: '2026-10',
    status: 'attention',
    provisional: false,
    statusReason: 'a control fails',
    headline: '1 control failing',
    complete: true,
    missingEvidence: 0,
    failingControls: [{ id: 'c', title: 'TLS <denied>', summary: 'x'.repeat(4000) }],
    changes: ['no change since 2026-09'],
    links: [
      { label: 'acme-2026-10.pdf', href: 'https://e.example/2026-10/acme/acme-2026-10.pdf' },
      { label: 'manifest.json', href: '2026-10/acme/manifest.json' },
    ],
    ...over,
  };
}

describe('delivery messages', () => {
  it('Slack: text from packets is escaped (no <!channel> ping), sections kept within 3,000 characters', () => {
    const p = slackPayload(tenantMessage(summary())) as { text: string; blocks: Array<Record<string, any>> };
    expect(p.text).toBe(
      'ACME &lt;!channel&gt; &amp; Co 2026-10: ATTENTION, 1 failing control(s), evidence complete. 1 control failing',
    );
    expect(JSON.stringify(p)).not.toContain('<!channel>');
    const failing = p.blocks[2]!.text.text as string;
    expect(failing.startsWith('*Failing controls*\n• TLS &lt;denied&gt;: xxx')).toBe(true);
    expect(failing).toHaveLength(3000);
    expect(failing.endsWith('…')).toBe(true);
    // A web link becomes a Slack link; a relative path stays text.
    expect(p.blocks.at(-1)!.text.text).toBe(
      '<https://e.example/2026-10/acme/acme-2026-10.pdf|acme-2026-10.pdf>\n`2026-10/acme/manifest.json`',
    );
  });

  it('Teams: web links become Open URL actions, other paths text; a provisional packet says so', () => {
    const p = teamsPayload(tenantMessage(summary({ provisional: true }))) as Record<string, any>;
    const card = p.attachments[0].content;
    expect(card.body[0].text).toBe('ACME <!channel> & Co (acme) 2026-10: PROVISIONAL ATTENTION');
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'acme-2026-10.pdf', url: 'https://e.example/2026-10/acme/acme-2026-10.pdf' },
    ]);
    expect(card.body.at(-1)).toMatchObject({ text: '2026-10/acme/manifest.json' });
  });

  it('e-mail text lists facts, failing controls, changes and files', () => {
    const text = emailText(tenantMessage(summary({ failingControls: [], complete: false, missingEvidence: 2 })));
    expect(text).toBe(
      [
        'ACME <!channel> & Co (acme) 2026-10: ATTENTION',
        '',
        'ACME <!channel> & Co 2026-10: ATTENTION, 0 failing control(s), evidence INCOMPLETE (2 missing). 1 control failing',
        '',
        'Status: ATTENTION',
        'Why: a control fails',
        'Failing controls: 0',
        'Evidence: INCOMPLETE (2 missing)',
        '',
        'Since last month:',
        '  - no change since 2026-09',
        '',
        'Files:',
        '  https://e.example/2026-10/acme/acme-2026-10.pdf',
        '  2026-10/acme/manifest.json',
        '',
      ].join('\n'),
    );
  });
});
