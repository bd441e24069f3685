import { describe, expect, it } from 'vitest';
import { buildPacket } from '../../src/analyze/build-packet.js';
import { loadCatalog } from '../../src/analyze/catalog.js';
import { loadWording } from '../../src/wording/wording.js';
import { bucketEvidence, measuredInventory, tenantEvidence } from '../support/evidence-builders.js';

const catalog = loadCatalog();
const wording = loadWording();
const noLogs = { accessLogs: null, cloudTrail: null };
const TLS_AND_SSE = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'NoSse',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::b/*',
      Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } },
    },
    {
      Sid: 'NoHttp',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
};

describe('buildPacket: incompleteness is always explained', () => {
  it('a fully readable, fully encrypted bucket gives a complete, compliant packet', () => {
    const p = buildPacket({
      evidence: tenantEvidence([
        bucketEvidence({ name: 'b', policy: TLS_AND_SSE, inventory: measuredInventory('b', { 'SSE-S3': [3, 30] }) }),
      ]),
      logs: noLogs,
      governance: null,
      catalog,
      wording,
    });
    expect(p.status).toBe('compliant');
    expect(p.completeness).toMatchObject({ complete: true, missing: [] });
  });

  it('inventory rows without EncryptionStatus make the packet incomplete and are named', () => {
    const inventory = measuredInventory('b', { 'SSE-S3': [3, 30] });
    if (inventory.status === 'ok') inventory.unknownStatus = { objects: 2, bytes: 20 };
    const p = buildPacket({
      evidence: tenantEvidence([bucketEvidence({ name: 'b', policy: TLS_AND_SSE, inventory })]),
      logs: noLogs,
      governance: null,
      catalog,
      wording,
    });
    expect(p.status).toBe('incomplete');
    expect(p.completeness.missing).toEqual([
      { scope: 'bucket b', source: 's3-objects-encrypted', reason: '2 inventory rows carry no EncryptionStatus' },
    ]);
    expect(p.completeness.text).toContain('bucket b (s3-objects-encrypted');
  });

  it('a tenant with no bucket in scope is incomplete, never 100 %', () => {
    const p = buildPacket({ evidence: tenantEvidence([]), logs: noLogs, governance: null, catalog, wording });
    expect(p.status).toBe('incomplete');
    expect(p.kpis.objectsPct).toBeNull();
    expect(p.completeness.missing.map((m) => m.scope)).toContain('control s3-objects-encrypted');
  });
});

describe('buildPacket: empty scopes', () => {
  it('a tenant on SSE-S3 only has no customer keys: rotation is not applicable, the packet stays complete', () => {
    const p = buildPacket({
      evidence: tenantEvidence([
        bucketEvidence({ name: 'b', policy: TLS_AND_SSE, inventory: measuredInventory('b', { 'SSE-S3': [1, 1] }) }),
      ]),
      logs: noLogs,
      governance: null,
      catalog,
      wording,
    });
    expect(p.controls.find((c) => c.id === 'kms-customer-keys-rotate')!.verdict).toBe('not_applicable');
    expect(p.completeness.complete).toBe(true);
  });

  it("a policy without statements is named with the analyzer's reason, not called invalid JSON", () => {
    const p = buildPacket({
      evidence: tenantEvidence([
        bucketEvidence({
          name: 'b',
          policy: { Version: '2012-10-17', Statement: [] },
          inventory: measuredInventory('b', { 'SSE-S3': [1, 1] }),
        }),
      ]),
      logs: noLogs,
      governance: null,
      catalog,
      wording,
    });
    const m = p.completeness.missing.find((x) => x.source === 's3:GetBucketPolicy')!;
    expect(m.scope).toBe('bucket b');
    expect(m.reason).not.toContain('not valid JSON');
    expect(m.reason).toMatch(/^bucket policy unparsable: /);
  });
});

describe('buildPacket: the inventory source line', () => {
  const build = (inventories: Array<Parameters<typeof bucketEvidence>[0]['inventory']>) =>
    buildPacket({
      evidence: tenantEvidence(
        inventories.map((inventory, i) => bucketEvidence({ name: `b${i}`, policy: TLS_AND_SSE, inventory })),
      ),
      logs: noLogs,
      governance: null,
      catalog,
      wording,
    });

  it('says which versions are counted, the delete markers left out and why the other buckets were not measured', () => {
    const all = measuredInventory('b0', { 'SSE-S3': [3, 30] });
    if (all.status !== 'ok') throw new Error('measured');
    all.includesVersions = true;
    all.deleteMarkers = 2;
    const p = build([
      all,
      { bucket: 'b1', status: 'unverified', reason: 'MD5 mismatch', problems: [] },
      { bucket: 'b2', status: 'missing', cause: 'not_configured', reason: 'no location' },
    ]);
    expect(p.sources.inventory).toBe(
      'inventory 2026-10-31 for 1 of 3 buckets (1 report unreadable, 1 not configured), all versions, 2 delete markers not counted',
    );
  });

  it('current versions only, no delete marker: says so and nothing more', () => {
    expect(build([measuredInventory('b0', { 'SSE-S3': [3, 30] })]).sources.inventory).toBe(
      'inventory 2026-10-31 for 1 of 1 bucket, current versions',
    );
  });

  it('a report that exists but could not be read is never "no inventory"', () => {
    const p = build([
      { bucket: 'b0', status: 'unverified', reason: 'MD5 mismatch', problems: [] },
      { bucket: 'b1', status: 'missing', cause: 'not_delivered', reason: 'no report' },
    ]);
    expect(p.sources.inventory).toBe(
      'no bucket measured from an inventory report (1 report unreadable, 1 not delivered)',
    );
  });
});
