import { beforeAll, describe, expect, it } from 'vitest';
import type { KeyUsageCollected } from '../../../src/model/log-sections.js';
import type { Packet } from '../../../src/model/packet.js';
import { shortKey, shortPrincipal } from '../../../src/render/pdf/names.js';
import { renderPdf } from '../../../src/render/pdf/render-pdf.js';
import { loadWording } from '../../../src/wording/wording.js';
import { SAMPLE_KEY_ARN, sampleKeyUsage } from '../../support/sample-log-sections.js';
import { samplePacket } from '../../support/sample-packet.js';
import { outsideMargins, overlapping, pageObjects, pdfText, pdfWords, pdfinfoPages, squash } from './pdf-inspect.js';

const SHA = `3f9a1c2b${'0'.repeat(52)}c21e`;
const wording = loadWording();
const render = (packet: Packet, pageSize: 'A4' | 'LETTER' = 'A4') =>
  renderPdf(packet, { pageSize, wording, packetSha256: SHA });

describe('renderPdf: collected denied uploads and key usage', () => {
  let pdf: Buffer;
  let text: string;
  beforeAll(async () => {
    pdf = await render(samplePacket({ logs: true }));
    text = squash(pdfText(pdf));
  });

  it('shows the denied-uploads tile: the merged count and its split by reason', () => {
    expect(text).toContain('DENIED UPLOADS');
    expect(text).toMatch(/\b17 ?this month/);
    // 10 + 4 + 3 = 17; reasons with zero requests are left out.
    expect(text).toContain('10 no SSE · 4 HTTP');
    expect(text).toContain('3 reason not logged');
    expect(text).not.toContain('wrong SSE');
  });

  it('summarises key usage: calls, the unexpected principal by short name, key changes with who and when', () => {
    expect(text).toContain(
      'Key usage 1,234 calls to alias/app-data (2 failed) · unexpected principal: user/contractor-jdoe (30 Decrypt)',
    );
    // 2026-10-20T03:00Z is the evening of 19 October in New York: days are the tenant's.
    expect(text).toMatch(
      /key changes: DisableKeyRotation by role\/platform-admin on 12 Oct, UpdateKeyDescription by user\/contractor-jdoe\s+on\s+19 Oct \(failed: AccessDeniedException\)/,
    );
  });

  it("summarises denied uploads: per source, top buckets, and each source's coverage with its gaps named", () => {
    expect(text).toContain(
      'Denied uploads 17 distinct requests refused (access logs 15, CloudTrail 14, 12 in both): acme-prod-data 13, acme-denied 4',
    );
    expect(text).toMatch(
      /coverage: access logs 31\/31 days on 1\/2 buckets, acme-denied 20\/31 days; CloudTrail 31\/31 days on 1\/2 buckets, no\s+data events for acme-denied/,
    );
  });

  it('keeps the remaining later sections in the grid, and no longer lists these two as not collected', () => {
    for (const label of ['Changes vs baseline', 'AWS Config', 'Exceptions', '12-month trend'])
      expect(text).toContain(`${label} not collected`);
    expect(text).not.toContain('Denied uploads not collected');
    expect(text).not.toContain('Key usage not collected');
  });

  it('stays one page with nothing outside the margins or overlapping, and renders identically twice', async () => {
    expect(pageObjects(pdf)).toBe(1);
    const { width, height, words } = pdfWords(pdf);
    expect(outsideMargins(words, width, height)).toEqual([]);
    expect(overlapping(words)).toEqual([]);
    expect((await render(samplePacket({ logs: true }))).equals(pdf)).toBe(true);
  });

  it.each(['A4', 'LETTER'] as const)(
    '500 extra buckets with logs on %s: one page, bucket lists cut with "+N more"',
    async (size) => {
      const many = await render(samplePacket({ logs: true, manyBuckets: 500 }), size);
      expect(pageObjects(many)).toBe(1);
      expect(pdfinfoPages(many)).toBe(1);
      const t = squash(pdfText(many));
      expect(t).toMatch(/\b17 ?this month/);
      expect(t).toContain('unexpected principal: user/contractor-jdoe');
      expect(t).toContain('access logs 31/31 days on 501/502 buckets');
      // 501 buckets without CloudTrail data events: a few named (long names shortened in the middle), the rest counted.
      expect(t).toMatch(/no\s+data events for acme-denied, acme-very-[a-z-]*…[a-z0-9-]*-archive[^\n]*? \+49\d more/);
      const { width, height, words } = pdfWords(many);
      expect(outsideMargins(words, width, height)).toEqual([]);
      expect(overlapping(words)).toEqual([]);
    },
  );
});

describe('renderPdf: log section variants', () => {
  it('zero denied uploads: "0" with "no upload refused", and a clean coverage line when both sources saw every bucket every day', async () => {
    const p = samplePacket({ logs: true });
    const s = p.sections.deniedUploads;
    if (s.state !== 'collected') throw new Error('sample changed');
    p.sections.deniedUploads = {
      ...s,
      total: 0,
      bySource: { accessLogs: 0, cloudTrail: 0, both: 0, accessLogsOnly: 0, cloudTrailOnly: 0 },
      byReason: { sse_header_missing: 0, sse_value_not_allowed: 0, plain_http: 0, other: 0, undetermined: 0 },
      byBucket: [],
      coverage: s.coverage.map((c) => ({ ...c, state: 'records_every_day', daysWithRecords: 31 })),
    };
    const t = squash(pdfText(await render(p)));
    expect(t).toMatch(/\b0 ?this month/);
    expect(t).toContain('no upload refused');
    expect(t).toContain('Denied uploads no request refused (access logs 0, CloudTrail 0, 0 in both)');
    expect(t).toContain('coverage: access logs and CloudTrail 31/31 days on 2/2 buckets');
  });

  it('several keys: each item names its key; a principal of another account keeps its account; no expectation says so', async () => {
    const p = samplePacket({ logs: true });
    const usage = sampleKeyUsage();
    const foreignKey = 'arn:aws:kms:us-east-1:444455556666:key/99999999-aaaa-bbbb-cccc-000000000000';
    const second: KeyUsageCollected['keys'][number] = {
      ...usage.keys[0]!,
      keyArn: foreignKey,
      calls: 5,
      unexpectedPrincipals: [],
      expectationConfigured: false,
      managementEvents: [],
    };
    usage.keys[0]!.unexpectedPrincipals[0]!.principal = 'arn:aws:iam::777788889999:role/partner';
    p.sections.keyUsage = { ...usage, keys: [usage.keys[0]!, second], totals: { ...usage.totals, calls: 1239 } };
    const t = squash(pdfText(await render(p)));
    expect(t).toMatch(
      /Key usage 1,239 calls to 2 keys \(2 failed\) · unexpected principal: 777788889999:role\/partner on alias\/app-data \(30 Decrypt\)\s+\(1\s+key\s+without\s+expected\s+principals\)/,
    );
    expect(t).toContain('DisableKeyRotation on alias/app-data by role/platform-admin on 12 Oct');

    p.sections.keyUsage = {
      ...usage,
      keys: [second],
      totals: { calls: 5, failures: 0, unexpectedPrincipals: 0, managementEvents: 0 },
    };
    const only = squash(pdfText(await render(p)));
    // A long key id is shortened in the middle, keeping the account and the distinctive end.
    expect(only).toMatch(
      /Key usage 5 calls to 444455556666:k[^ ]*…[^ ]*-000000000000 · expected principals not configured · no key-management event/,
    );
  });
});

describe('short names', () => {
  const own = new Set(['111122223333']);
  it("drops the ARN prefix of the tenant's own principals and keeps a foreign account", () => {
    expect(shortPrincipal('arn:aws:iam::111122223333:user/contractor-jdoe', own)).toBe('user/contractor-jdoe');
    expect(shortPrincipal('arn:aws:iam::111122223333:role/path/app', own)).toBe('role/path/app');
    expect(shortPrincipal('arn:aws:iam::444455556666:root', own)).toBe('444455556666:root');
    expect(shortPrincipal('arn:aws:sts::111122223333:federated-user/bob', own)).toBe('federated-user/bob');
    expect(shortPrincipal('account:444455556666', own)).toBe('account 444455556666');
    expect(shortPrincipal('s3.amazonaws.com', own)).toBe('s3.amazonaws.com');
  });
  it('names a key by alias, else by key id', () => {
    expect(shortKey(SAMPLE_KEY_ARN, new Map([[SAMPLE_KEY_ARN, 'alias/app-data']]), own)).toBe('alias/app-data');
    expect(shortKey(SAMPLE_KEY_ARN, new Map(), own)).toBe('key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(shortKey('arn:aws:kms:eu-west-1:444455556666:key/k-1', new Map(), own)).toBe('444455556666:key/k-1');
  });
});
