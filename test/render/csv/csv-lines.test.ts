import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeDeniedUploadsCsv } from '../../../src/render/csv/csv-lines.js';

describe('csv export', () => {
  it('writes its cells through the one writer: quoted where needed, formula starts defused', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    await writeDeniedUploadsCsv([], out);
    expect(chunks.join('')).toMatch(/^time,day,bucket,key,.*,evidence\r\n$/);
  });

  it('writes a header and one line per denied upload, returning the row count', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const rows = await writeDeniedUploadsCsv(
      [
        {
          requestId: 'DENY0001',
          time: '2026-10-05T09:12:04.000Z',
          epochMs: 0,
          day: '2026-10-05',
          bucket: 'acme-data',
          key: 'a b.txt',
          operation: 'PutObject',
          principal: 'arn:aws:iam::111122223333:role/apps/app-writer',
          principalKind: 'role',
          sourceIp: '198.51.100.7',
          userAgent: 'ua, 1',
          reason: 'sse_header_missing',
          seenIn: 'both',
          sseHeader: null,
          evidence: ['f:2', 'g#1'],
        },
      ],
      out,
    );
    expect(rows).toBe(1);
    expect(chunks.join('')).toBe(
      'time,day,bucket,key,operation,reason,seen_in,request_id,principal,principal_kind,source_ip,user_agent,sse_header,evidence\r\n' +
        '2026-10-05T09:12:04.000Z,2026-10-05,acme-data,a b.txt,PutObject,sse_header_missing,both,DENY0001,arn:aws:iam::111122223333:role/apps/app-writer,role,198.51.100.7,"ua, 1",(none),f:2 g#1\r\n',
    );
  });
});
