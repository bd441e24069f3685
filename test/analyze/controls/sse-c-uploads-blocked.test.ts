import { describe, expect, it } from 'vitest';
import { bucketResult } from '../../../src/analyze/buckets.js';
import { control } from '../../../src/analyze/controls/s3-sse-c-uploads-blocked/control.js';
import { tenantSchema } from '../../../src/config/schema.js';
import type { FiledRecord } from '../../../src/evidence/record.js';
import type { InventoryEvidence } from '../../../src/evidence/inventory.js';
import { readAnswer } from '../../../src/evidence/answers.js';
import { bucketEvidence, failed, measuredInventory, ok } from '../../support/evidence-builders.js';

const tenant = tenantSchema.parse({
  id: 'acme',
  displayName: 'ACME',
  accounts: [{ id: '111122223333' }],
  expectations: [{ buckets: 'legacy-*', allowSseC: true }],
});

const rule = (extra: object) =>
  ok('s3:GetBucketEncryption', {
    ServerSideEncryptionConfiguration: {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false, ...extra }],
    },
  });

const judge = (name: string, encryption: FiledRecord, inventory?: InventoryEvidence) =>
  control.evaluate({
    buckets: [
      bucketResult(
        bucketEvidence({ name, encryption, ...(inventory ? { inventory } : {}) }),
        tenant,
        [],
        'evidence/accounts/111122223333/s3/list-buckets.json',
      ),
    ],
    keys: [],
  })[0]!;

describe('s3-sse-c-uploads-blocked', () => {
  it('passes: BlockedEncryptionTypes lists SSE-C, with the inventory count beside it', () => {
    const j = judge(
      'b',
      rule({ BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } }),
      measuredInventory('b', { 'SSE-C': [2, 20], 'SSE-S3': [8, 80] }),
    );
    expect(j.verdict).toBe('pass');
    expect(j.reason).toBe('S3 refuses SSE-C uploads (BlockedEncryptionTypes SSE-C); 2 SSE-C objects in the inventory');
    expect(j.evidence).toEqual(['evidence/s3:GetBucketEncryption.json']);
  });
  it('fails: the rule has no BlockedEncryptionTypes (absent means SSE-C accepted)', () => {
    const j = judge('b', rule({}), measuredInventory('b', { 'SSE-C': [450, 4500] }));
    expect(j.verdict).toBe('fail');
    expect(j.facts).toEqual({ objects: 450, counted: true });
    expect(j.reason).toContain('450 SSE-C objects in the inventory');
  });
  it('fails: only NONE is blocked', () =>
    expect(judge('b', rule({ BlockedEncryptionTypes: { EncryptionType: ['NONE'] } })).verdict).toBe('fail'));
  it('fails: no default-encryption configuration at all; SSE-C objects not counted without inventory', () => {
    const j = judge(
      'b',
      failed('s3:GetBucketEncryption', 'ServerSideEncryptionConfigurationNotFoundError', 'not_configured'),
    );
    expect(j.verdict).toBe('fail');
    expect(j.facts).toEqual({ objects: null, counted: false });
  });
  it('only the first rule counts (S3 applies the first)', () => {
    const two = ok('s3:GetBucketEncryption', {
      ServerSideEncryptionConfiguration: {
        Rules: [
          { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
            BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
          },
        ],
      },
    });
    expect(judge('b', two).verdict).toBe('fail');
  });
  it('not applicable: the expectation allows SSE-C explicitly, and says which', () => {
    const j = judge('legacy-x', rule({}));
    expect(j.verdict).toBe('not_applicable');
    expect(j.reason).toContain('allowed by expectation "legacy-*"');
  });
  it('not evaluated: GetBucketEncryption refused', () => {
    const j = judge('b', failed('s3:GetBucketEncryption', 'AccessDenied', 'access_denied'));
    expect(j.verdict).toBe('not_evaluated');
    expect(j.reason).toBe('GetBucketEncryption failed: AccessDenied');
  });
  it('not evaluated: an undocumented blocked type makes the answer unreadable, never a pass or a fail', () => {
    const read = readAnswer(rule({ BlockedEncryptionTypes: { EncryptionType: ['SSE-X'] } }));
    expect(read.outcome).toBe('error');
    const j = judge('b', read);
    expect(j.verdict).toBe('not_evaluated');
    expect(j.reason).toBe('GetBucketEncryption failed: UnreadableEvidence');
  });
  it('not evaluated: BlockedEncryptionTypes that is not an object is unreadable', () => {
    const read = readAnswer(rule({ BlockedEncryptionTypes: 'SSE-C' }));
    expect(read.outcome === 'error' && read.error.message).toContain('BlockedEncryptionTypes');
  });
});
