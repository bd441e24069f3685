/**
 * A hand-written Packet for renderer tests: values chosen by hand, not produced by the analyzer,
 * so renderer tests stay independent of analysis. `manyBuckets` stresses the one-page rule; `logs`
 * fills the denied-uploads and key-usage sections (test/support/sample-log-sections.ts); `governance`
 * fills drift, exceptions and trend and adds two controls with excepted resources
 * (test/support/sample-governance-sections.ts).
 */
import type { Packet, BucketResult } from '../../src/model/packet.js';
import { ENCRYPTION_STATUSES, emptyTally } from '../../src/evidence/inventory.js';
import { withGovernance } from './sample-governance-sections.js';
import { sampleDeniedUploads, sampleKeyUsage } from './sample-log-sections.js';

const notCollected = { state: 'not_collected' as const, reason: 'not collected by this version' };

function bucket(name: string, over: Partial<BucketResult> = {}): BucketResult {
  const tally = emptyTally();
  tally['SSE-S3'] = { objects: 9, bytes: 900 };
  tally['NOT-SSE'] = { objects: 1, bytes: 100 };
  return {
    name,
    account: '111122223333',
    region: 'eu-west-1',
    defaultEncryption: {
      state: 'enabled',
      mode: 'SSE-S3',
      algorithm: 'AES256',
      bucketKeyEnabled: false,
      extraRules: 0,
    },
    expectation: { requiredMode: 'any', allowedKmsKeys: [], source: 'default' },
    sseEnforcement: { level: 'no', reason: 'no statement denies PutObject without an SSE header', statements: [] },
    tlsEnforcement: {
      level: 'yes',
      reason: 'statement DenyInsecureTransport denies s3:* when aws:SecureTransport is false',
      statements: ['DenyInsecureTransport'],
    },
    policyState: 'present',
    publicAccessBlock: {
      state: 'configured',
      allFour: true,
      settings: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    },
    coverage: {
      state: 'measured',
      reportDate: '2026-10-31T00:00:00Z',
      tally,
      total: { objects: 10, bytes: 1000 },
      encrypted: { objects: 9, bytes: 900 },
      unencrypted: { objects: 1, bytes: 100 },
      objectsPct: 90,
      bytesPct: 90,
      unknownStatus: { objects: 0, bytes: 0 },
      deleteMarkers: 0,
      largestUnencrypted: [{ key: '=HYPERLINK("http://evil")', size: 100, lastModified: '2019-03-02T10:00:00.000Z' }],
      oldestUnencryptedLastModified: '2019-03-02T10:00:00.000Z',
      unencryptedExport: { file: `evidence/accounts/111122223333/buckets/${name}/unencrypted-objects.csv`, rows: 1 },
    },
    evidence: [`evidence/accounts/111122223333/buckets/${name}/get-bucket-encryption.json`],
    ...over,
  };
}

export function samplePacket(opts: { manyBuckets?: number; logs?: boolean; governance?: boolean } = {}): Packet {
  const extra = Array.from({ length: opts.manyBuckets ?? 0 }, (_, i) =>
    bucket(`acme-very-long-bucket-name-for-the-one-page-rule-number-${String(i).padStart(4, '0')}-archive`),
  );
  const buckets: BucketResult[] = [
    bucket('acme-prod-data', { sseC: { state: 'accepted' } }),
    // No sseC: as in packets made before SSE-C blocking was read.
    bucket('acme-denied', {
      defaultEncryption: { state: 'unreadable', errorCode: 'AccessDenied', message: 'Access Denied' },
      sseEnforcement: { level: 'unknown', reason: 'bucket policy unreadable: AccessDenied', statements: [] },
      tlsEnforcement: { level: 'unknown', reason: 'bucket policy unreadable: AccessDenied', statements: [] },
      policyState: 'unreadable',
      coverage: { state: 'no_inventory', reason: 'no inventory report delivered on or before 2026-11-01' },
    }),
    ...extra,
  ];
  const findings = [
    {
      id: 'F-001',
      severity: 'high' as const,
      controlId: 's3-objects-encrypted',
      resource: 'acme-prod-data',
      text: 'acme-prod-data: 1 unencrypted object (100 B), oldest 2019-03-02',
      evidence: ['evidence/accounts/111122223333/buckets/acme-prod-data/inventory.json'],
    },
    ...Array.from({ length: 14 + (opts.manyBuckets ?? 0) }, (_, i) => ({
      id: `F-${String(i + 2).padStart(3, '0')}`,
      severity: 'medium' as const,
      controlId: 's3-policy-denies-unencrypted-uploads',
      resource: `bucket-${i}`,
      text: `bucket-${i}: no bucket policy statement denies uploads without server-side encryption`,
      evidence: [],
    })),
  ];
  const packet: Packet = {
    schemaVersion: 1,
    tool: { name: 's3-evidence', version: '0.1.0' },
    tenant: { id: 'acme', displayName: 'ACME Corp', timeZone: 'America/New_York' },
    operator: 'Example MSP',
    period: {
      label: '2026-10',
      timeZone: 'America/New_York',
      startUtc: '2026-10-01T04:00:00Z',
      endUtc: '2026-11-01T04:00:00Z',
    },
    generatedAt: '2026-11-01T11:00:00Z',
    collection: { mode: 'offline', configSha256: 'ab'.repeat(32) },
    status: 'attention',
    statusReason: '3 controls fail: a failing control or an active critical finding is never COMPLIANT',
    headline: '3 controls failing',
    completeness: {
      complete: false,
      missing: [{ scope: 'bucket acme-denied', source: 's3:GetBucketEncryption', reason: 'AccessDenied' }],
      text: 'Evidence incomplete: 1 bucket unreadable (AccessDenied)',
    },
    kpis: {
      objectsPct: 99.982,
      bytesPct: 99.9,
      coverageBasis: '1 of 2 buckets measured',
      defaultEncryption: { enabled: 1, total: 2 },
      sseEnforced: { yes: 0, total: 2 },
      tlsEnforced: { yes: 1, total: 2 },
      keysRotating: { rotating: 1, total: 1 },
    },
    coverage: {
      measuredBuckets: 1,
      totalBuckets: 2,
      tally: buckets[0]!.coverage.state === 'measured' ? buckets[0]!.coverage.tally : emptyTally(),
      total: { objects: 10, bytes: 1000 },
      encrypted: { objects: 9, bytes: 900 },
      unencrypted: { objects: 1, bytes: 100 },
      objectsPct: 90,
      bytesPct: 90,
    },
    encryptionStatuses: ENCRYPTION_STATUSES,
    buckets,
    excludedBuckets: [
      { name: 'other-team-bucket', account: '111122223333', reason: 'excluded by name pattern "other-*"' },
    ],
    scopeUndetermined: [],
    keys: [
      {
        reference: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        arn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        account: '111122223333',
        region: 'eu-west-1',
        alias: 'alias/app-data',
        manager: 'CUSTOMER',
        state: 'Enabled',
        rotation: { state: 'enabled', periodDays: 365, nextRotation: '2027-03-01T00:00:00Z' },
        readable: true,
        custody: { origin: 'AWS_KMS', keySpec: 'SYMMETRIC_DEFAULT', multiRegion: 'primary' },
        usedBy: ['acme-prod-data'],
        evidence: [],
      },
    ],
    controls: [
      {
        id: 's3-default-encryption-enabled',
        title: 'Default encryption on every bucket',
        passes: 'A default encryption rule exists',
        verdict: 'not_evaluated',
        summary: '1 of 2 buckets; 1 not evaluated',
        counts: { pass: 1, fail: 0, not_evaluated: 1, not_applicable: 0, exception: 0 },
        resources: [],
        references: [{ framework: 'NIST SP 800-53 Rev. 5', id: 'SC-28', title: 'Protection of information at rest' }],
        remediation: 'Enable default encryption.',
      },
      {
        id: 's3-objects-encrypted',
        title: 'Objects encrypted at rest',
        passes: 'No NOT-SSE objects in a verified inventory',
        verdict: 'fail',
        summary: '1 bucket with unencrypted objects',
        counts: { pass: 0, fail: 1, not_evaluated: 1, not_applicable: 0, exception: 0 },
        resources: [],
        references: [{ framework: 'CBC-AWS-S3', id: 'CBC-AWS-S3-1', title: 'Encryption policy' }],
        remediation: 'Re-encrypt objects with a copy in place.',
      },
    ],
    findings,
    sections: {
      deniedUploads: opts.logs ? sampleDeniedUploads(extra.map((b) => b.name)) : notCollected,
      keyUsage: opts.logs ? sampleKeyUsage() : notCollected,
      drift: notCollected,
      awsConfig: notCollected,
      exceptions: notCollected,
      trend: notCollected,
    },
    sources: {
      inventory: 'inventory report 2026-10-31 for 1 of 2 buckets',
      accessLogs: 'not collected',
      cloudTrail: 'not collected',
    },
    evidence: [{ path: 'evidence/run.json', sha256: 'cd'.repeat(32), size: 321 }],
  };
  return opts.governance ? withGovernance(packet) : packet;
}
