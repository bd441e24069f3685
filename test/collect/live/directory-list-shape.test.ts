import { describe, expect, it } from 'vitest';
import { directoryListProblem } from '../../../src/collect/live/directory-list-shape.js';

const answer = (buckets: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyDirectoryBucketsResult>${buckets}</ListAllMyDirectoryBucketsResult>`;

describe('directoryListProblem', () => {
  it('accepts an empty list, written either way', () => {
    expect(directoryListProblem(answer('<Buckets/>'))).toBeUndefined();
    expect(directoryListProblem(answer('<Buckets>\n  </Buckets>'))).toBeUndefined();
  });

  it('accepts a list of Bucket elements (BucketRegion is not mistaken for a Bucket)', () => {
    const one = '<Bucket><Name>a--use1-az4--x-s3</Name><BucketRegion>us-east-1</BucketRegion></Bucket>';
    expect(
      directoryListProblem(answer(`<Buckets>${one}\n${one}</Buckets><ContinuationToken>t</ContinuationToken>`)),
    ).toBeUndefined();
  });

  it('refuses text or another element where Bucket elements belong', () => {
    expect(directoryListProblem(answer('<Buckets>wrong-shape</Buckets>'))).toBe(
      'Buckets: expected only Bucket elements, got "wrong-shape"',
    );
    expect(directoryListProblem(answer('<Buckets><Item><Name>x--use1-az4--x-s3</Name></Item></Buckets>'))).toBe(
      'Buckets: expected only Bucket elements, got "<Item><Name>x--use1-az4--x-s3</Name></It"',
    );
    expect(directoryListProblem(answer('<Buckets><Bucket><Name>a--use1-az4--x-s3</Name></Bucket>junk</Buckets>'))).toBe(
      'Buckets: expected only Bucket elements, got "junk"',
    );
  });

  it('leaves an answer without a Buckets element to the documented shape', () => {
    expect(directoryListProblem(answer('<ContinuationToken>t</ContinuationToken>'))).toBeUndefined();
  });
});
