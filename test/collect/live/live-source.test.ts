import { describe, expect, it } from 'vitest';
import { allPages, mergedPages } from '../../../src/collect/live/live-source.js';

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

describe('mergedPages', () => {
  const page = (body: Record<string, unknown>, requestId: string) => ({ ...body, $metadata: { requestId } });

  it('merges every page list under the field into one answer', () => {
    const r = mergedPages(
      {
        ok: true,
        output: [
          page({ Tags: [{ TagKey: 'a', TagValue: '1' }] }, 'r0'),
          page({ Tags: [{ TagKey: 'b', TagValue: '2' }] }, 'r1'),
        ],
        requestId: 'r0,r1',
      },
      'Tags',
      { Truncated: false },
    );
    expect(r).toEqual({
      ok: true,
      requestId: 'r0,r1',
      output: {
        Tags: [
          { TagKey: 'a', TagValue: '1' },
          { TagKey: 'b', TagValue: '2' },
        ],
        Truncated: false,
      },
    });
  });

  it('a page without its list is kept as it came (for the evidence reading to name), never read as an empty list', () => {
    const r = mergedPages(
      { ok: true, output: [page({ Aliases: [] }, 'r0'), page({ Truncated: false }, 'r1')], requestId: 'r0,r1' },
      'Aliases',
      { Truncated: false },
    );
    expect(r).toEqual({ ok: true, requestId: 'r0,r1', output: { Truncated: false } });
  });

  it('a failed call stays the failure', () => {
    const failed = {
      ok: false as const,
      error: { code: 'AccessDeniedException', message: 'no' },
      cause: new Error('no'),
    };
    expect(mergedPages(failed, 'Aliases')).toBe(failed);
  });
});
