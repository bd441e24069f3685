import { describe, expect, it } from 'vitest';
import {
  actionCovers,
  bucketReach,
  globMatches,
  patternReachOverPrefix,
  principalScope,
  s3ActionReach,
} from '../../../src/analyze/policy/match.js';

const B = 'arn:aws:s3:::example-bucket';
const O = `${B}/*`;
const OBJECTS = `${B}/`;

describe('globMatches', () => {
  it('matches action wildcards case-insensitively when asked', () => {
    expect(globMatches('s3:Put*', 's3:putobject', true)).toBe(true);
    expect(globMatches('s3:Put*', 's3:GetObject', true)).toBe(false);
    expect(globMatches('s3:?etObject', 'S3:GETOBJECT', true)).toBe(true);
  });
  it('matches ARNs case-sensitively and treats regex characters literally', () => {
    expect(globMatches('arn:aws:s3:::Example-bucket/*', 'arn:aws:s3:::example-bucket/a', false)).toBe(false);
    expect(globMatches('arn:aws:s3:::example.bucket/*', 'arn:aws:s3:::exampleXbucket/a', false)).toBe(false);
    expect(globMatches('arn:aws:s3:::example-bucket/*', 'arn:aws:s3:::example-bucket/a/b\nc', false)).toBe(true);
  });
});

describe('patternReachOverPrefix (does a Resource cover every object of example-bucket?)', () => {
  const cases: Array<[string, 'all' | 'some' | 'none']> = [
    [O, 'all'],
    ['*', 'all'],
    ['arn:aws:s3:::*/*', 'all'],
    ['arn:aws:s3:::example-bucket*', 'all'],
    ['arn:aws:s3:::example-bucket*/*', 'all'],
    ['arn:aws:s3:::exa?ple-bucket/*', 'all'],
    ['arn:aws:s3:::example-bucket/logs/*', 'some'],
    ['arn:aws:s3:::example-bucket/report.csv', 'some'],
    ['arn:aws:s3:::example-bucket/?', 'some'],
    // Object keys are never empty: one `?` and a star cover them all, the bare prefix none.
    ['arn:aws:s3:::example-bucket/?*', 'all'],
    ['arn:aws:s3:::example-bucket/*?', 'all'],
    ['arn:aws:s3:::example-bucket/??*', 'some'],
    ['arn:aws:s3:::example-bucket/', 'none'],
    ['arn:aws:s3:::*/logs/*', 'some'],
    ['arn:aws:s3:::example-*/logs/*', 'some'],
    ['arn:aws:s3:::example-bucket-other/*', 'none'],
    ['arn:aws:s3:::example-bucket-*/*', 'none'],
    [B, 'none'],
    ['arn:aws:s3:::other-bucket/*', 'none'],
  ];
  for (const [pattern, reach] of cases) {
    it(`${pattern} → ${reach}`, () => expect(patternReachOverPrefix(pattern, OBJECTS)).toBe(reach));
  }
});

describe('actionCovers s3:PutObject', () => {
  it('accepts s3:*, *, s3:Put* and any letter case', () => {
    for (const p of ['s3:*', '*', 's3:Put*', 'S3:PUTOBJECT', 's3:putobject']) {
      expect(actionCovers({ negated: false, patterns: [p] }, 's3:PutObject')).toBe(true);
    }
  });
  it('rejects other actions and a NotAction that lists it', () => {
    expect(actionCovers({ negated: false, patterns: ['s3:PutObjectAcl', 's3:GetObject'] }, 's3:PutObject')).toBe(false);
    expect(actionCovers({ negated: true, patterns: ['s3:PutObject'] }, 's3:PutObject')).toBe(false);
    expect(actionCovers({ negated: true, patterns: ['s3:Put*'] }, 's3:PutObject')).toBe(false);
    expect(actionCovers({ negated: true, patterns: ['s3:GetObject'] }, 's3:PutObject')).toBe(true);
  });
});

describe('s3ActionReach', () => {
  it('all, some or none of the S3 API', () => {
    expect(s3ActionReach({ negated: false, patterns: ['s3:*'] })).toBe('all');
    expect(s3ActionReach({ negated: false, patterns: ['*'] })).toBe('all');
    expect(s3ActionReach({ negated: false, patterns: ['*:*'] })).toBe('all');
    expect(s3ActionReach({ negated: false, patterns: ['s3:Get*', 's3:PutObject'] })).toBe('some');
    expect(s3ActionReach({ negated: false, patterns: ['iam:PassRole'] })).toBe('none');
    expect(s3ActionReach({ negated: false, patterns: [] })).toBe('none');
  });
  it('inverts for NotAction', () => {
    expect(s3ActionReach({ negated: true, patterns: ['s3:*'] })).toBe('none');
    expect(s3ActionReach({ negated: true, patterns: ['s3:GetObject'] })).toBe('some');
    expect(s3ActionReach({ negated: true, patterns: ['iam:*'] })).toBe('all');
  });
});

describe('bucketReach', () => {
  it('Resource forms', () => {
    expect(bucketReach({ negated: false, patterns: [B, O] }, 'example-bucket')).toEqual({
      bucket: true,
      objects: 'all',
      limitingPatterns: [],
    });
    expect(bucketReach({ negated: false, patterns: [O] }, 'example-bucket')).toEqual({
      bucket: false,
      objects: 'all',
      limitingPatterns: [],
    });
    expect(bucketReach({ negated: false, patterns: [B] }, 'example-bucket')).toEqual({
      bucket: true,
      objects: 'none',
      limitingPatterns: [B],
    });
    expect(bucketReach({ negated: false, patterns: ['*'] }, 'example-bucket')).toEqual({
      bucket: true,
      objects: 'all',
      limitingPatterns: [],
    });
    expect(bucketReach({ negated: false, patterns: [B, `${B}/logs/*`] }, 'example-bucket')).toEqual({
      bucket: true,
      objects: 'some',
      limitingPatterns: [`${B}/logs/*`],
    });
  });
  it('NotResource forms', () => {
    expect(bucketReach({ negated: true, patterns: [O] }, 'example-bucket')).toEqual({
      bucket: true,
      objects: 'none',
      limitingPatterns: [O],
    });
    expect(bucketReach({ negated: true, patterns: [`${B}/public/*`] }, 'example-bucket')).toEqual({
      bucket: true,
      objects: 'some',
      limitingPatterns: [`${B}/public/*`],
    });
    expect(bucketReach({ negated: true, patterns: ['arn:aws:s3:::scratch/*'] }, 'example-bucket')).toEqual({
      bucket: true,
      objects: 'all',
      limitingPatterns: [],
    });
    expect(bucketReach({ negated: true, patterns: [B] }, 'example-bucket')).toEqual({
      bucket: false,
      objects: 'all',
      limitingPatterns: [],
    });
  });
  it('reads ARNs of the other partitions', () => {
    expect(
      bucketReach({ negated: false, patterns: ['arn:aws-cn:s3:::example-bucket/*'] }, 'example-bucket').objects,
    ).toBe('all');
  });
});

describe('principalScope', () => {
  it('everyone', () => {
    expect(principalScope('*', undefined)).toEqual({ everyone: true });
    expect(principalScope({ AWS: '*' }, undefined)).toEqual({ everyone: true });
    expect(principalScope({ AWS: ['*'] }, undefined)).toEqual({ everyone: true });
    expect(principalScope({ AWS: ['arn:aws:iam::111122223333:root', '*'] }, undefined)).toEqual({ everyone: true });
  });
  it('someone', () => {
    expect(principalScope({ AWS: 'arn:aws:iam::111122223333:root' }, undefined)).toEqual({
      everyone: false,
      description: 'principal arn:aws:iam::111122223333:root',
    });
    expect(principalScope({ AWS: ['111122223333', '444455556666'] }, undefined)).toEqual({
      everyone: false,
      description: 'principals 111122223333, 444455556666',
    });
    expect(principalScope({ Service: 'logging.s3.amazonaws.com' }, undefined)).toEqual({
      everyone: false,
      description: 'principal logging.s3.amazonaws.com',
    });
    expect(principalScope(undefined, { AWS: 'arn:aws:iam::111122223333:role/Admin' })).toEqual({
      everyone: false,
      description: 'everyone except arn:aws:iam::111122223333:role/Admin',
    });
    expect(principalScope(undefined, undefined).everyone).toBe(false);
  });
});
