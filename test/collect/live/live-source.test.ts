import { describe, expect, it } from 'vitest';
import { allPages } from '../../../src/collect/live/live-source.js';

type Page = { items: number[]; next?: unknown; $metadata: { requestId: string } };

/** A paginated call answering `pages` in order, token i+1 after page i, recording the tokens it was sent. */
function pager(pages: Page[]) {
  const sent: Array<string | undefined> = [];
  const fetch = async (token: string | undefined) => {
    sent.push(token);
    const page = pages[token === undefined ? 0 : Number(token)]!;
    return { ok: true as const, output: page, requestId: page.$metadata.requestId };
  };
  return { sent, fetch };
}

describe('allPages', () => {
  it('follows string tokens to the last page, one request id per page', async () => {
    const { sent, fetch } = pager([
      { items: [1], next: '1', $metadata: { requestId: 'r0' } },
      { items: [2], $metadata: { requestId: 'r1' } },
    ]);
    const r = await allPages(fetch, (p) => p.next as string | undefined);
    expect(r).toMatchObject({ ok: true, requestId: 'r0,r1' });
    expect(sent).toEqual([undefined, '1']);
  });

  it('a page token that is not a string is neither followed nor read as the last page: the list is unreadable', async () => {
    const { sent, fetch } = pager([
      { items: [1], next: { 'wrong-shape': '1' }, $metadata: { requestId: 'r0' } },
      { items: [2], $metadata: { requestId: 'r1' } },
    ]);
    const r = await allPages(fetch, (p) => p.next as string | undefined);
    expect(r).toMatchObject({
      ok: false,
      requestId: 'r0',
      error: { code: 'UnreadableEvidence', message: "the answer's page token is an object, not a string" },
    });
    expect(sent).toEqual([undefined]);
  });
});
