import { describe, expect, it } from 'vitest';
import { parsePolicyDocument } from '../../../src/analyze/policy/document.js';

describe('parsePolicyDocument', () => {
  it('accepts a single Statement object, no Version and no Sid', () => {
    const parsed = parsePolicyDocument(
      JSON.stringify({
        Statement: {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::example-bucket/*',
        },
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      statements: [
        {
          label: '#1',
          effect: 'Deny',
          principal: { everyone: true },
          actions: { negated: false, patterns: ['s3:PutObject'] },
          resources: { negated: false, patterns: ['arn:aws:s3:::example-bucket/*'] },
          conditions: [],
        },
      ],
    });
  });

  it('labels statements by Sid, or by 1-based position when the Sid is missing or empty', () => {
    const parsed = parsePolicyDocument(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'First',
            Effect: 'Deny',
            Principal: '*',
            NotAction: ['s3:GetObject'],
            NotResource: 'arn:aws:s3:::example-bucket',
          },
          { Sid: '', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
        ],
      }),
    );
    expect(parsed.ok && parsed.statements.map((s) => s.label)).toEqual(['First', '#2', '#3']);
    expect(parsed.ok && parsed.statements[0]?.actions).toEqual({ negated: true, patterns: ['s3:GetObject'] });
    expect(parsed.ok && parsed.statements[0]?.resources).toEqual({
      negated: true,
      patterns: ['arn:aws:s3:::example-bucket'],
    });
  });

  it('strips a byte-order mark', () => {
    expect(parsePolicyDocument('\uFEFF{"Statement":[{"Effect":"Deny"}]}').ok).toBe(true);
  });

  it('refuses what is not a policy, with a clear message', () => {
    expect(parsePolicyDocument('')).toMatchObject({
      ok: false,
      error: expect.stringContaining('The bucket policy is not valid JSON'),
    });
    expect(parsePolicyDocument('null')).toEqual({ ok: false, error: 'The bucket policy is not a JSON object.' });
    expect(parsePolicyDocument('[]')).toEqual({ ok: false, error: 'The bucket policy is not a JSON object.' });
    expect(parsePolicyDocument('{"Version":"2012-10-17"}')).toEqual({
      ok: false,
      error: 'The bucket policy has no statements.',
    });
    expect(parsePolicyDocument('{"Statement":[]}')).toEqual({
      ok: false,
      error: 'The bucket policy has no statements.',
    });
    expect(parsePolicyDocument('{"Statement":[{"Sid":"Bad","Effect":"Deny","Action":5}]}')).toEqual({
      ok: false,
      error:
        'Statement "Bad" of the bucket policy has an invalid Action element (it must be a string or a list of strings).',
    });
    expect(parsePolicyDocument('{"Statement":[{"Effect":"Deny","Condition":[]}]}')).toEqual({
      ok: false,
      error: 'Statement "#1" of the bucket policy has a Condition that is not a JSON object.',
    });
  });
});
