import type { Book } from '../book.js';
import type { BucketResult, Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { pctFraction, type CellInput } from '../cells.js';
import { coverageStateLabel, enforcementLabel, evidenceLink, lines, yesNo } from '../labels.js';
import { columnsFor, writeTable, type ColumnSpec } from '../table.js';

function defaultEncryptionState(w: Wording, b: BucketResult): string {
  const enc = b.defaultEncryption;
  if (enc.state === 'unreadable') return w.t('xlsx.buckets.unreadable', { errorCode: enc.errorCode });
  return w.t(`xlsx.buckets.defaultEncryption.${enc.state}`);
}

function kmsKey(w: Wording, b: BucketResult): string | undefined {
  const enc = b.defaultEncryption;
  if (enc.state !== 'enabled' || enc.mode === 'SSE-S3') return undefined;
  return enc.kmsKeyArn ?? enc.kmsKeyId ?? w.t('xlsx.buckets.awsManagedS3Key');
}

function keyManager(w: Wording, b: BucketResult): string | undefined {
  const enc = b.defaultEncryption;
  if (enc.state !== 'enabled' || enc.mode === 'SSE-S3') return undefined;
  const manager = enc.keyManager ?? (enc.kmsKeyId === undefined ? 'AWS' : 'unknown');
  return w.t(`xlsx.keyManager.${manager}`);
}

function publicAccessBlock(w: Wording, b: BucketResult): string {
  const pab = b.publicAccessBlock;
  if (pab.state === 'unreadable') return w.t('xlsx.buckets.unreadable', { errorCode: pab.errorCode });
  if (pab.state === 'not_configured') return w.t('xlsx.buckets.publicAccessBlock.notConfigured');
  if (pab.allFour) return w.t('xlsx.buckets.publicAccessBlock.allFour');
  const off = Object.entries(pab.settings)
    .filter(([, on]) => !on)
    .map(([name]) => name);
  return w.t('xlsx.buckets.publicAccessBlock.partial', { off: off.join(', ') });
}

function sseCText(w: Wording, b: BucketResult): string {
  const s = b.sseC;
  if (!s) return w.t('xlsx.buckets.sseC.notRead');
  if (s.state === 'unreadable') return w.t('xlsx.buckets.unreadable', { errorCode: s.errorCode });
  if (s.state === 'accepted' && b.expectation.allowSseC)
    return w.t('xlsx.buckets.sseC.allowed', { source: b.expectation.source });
  return w.t(`xlsx.buckets.sseC.${s.state}`);
}

function coverageNote(b: BucketResult): string | undefined {
  const c = b.coverage;
  if (c.state === 'no_inventory') return c.reason;
  if (c.state === 'unverified') return lines([c.reason, ...c.problems]);
  return undefined;
}

/** A measured-coverage number, blank when the bucket was not measured (never a zero that reads as fine). */
function measured(
  pick: (c: Extract<BucketResult['coverage'], { state: 'measured' }>) => number,
): (b: BucketResult) => CellInput {
  return (b) => (b.coverage.state === 'measured' ? pick(b.coverage) : null);
}

function measuredPct(w: Wording, key: 'objectsPct' | 'bytesPct'): (b: BucketResult) => CellInput {
  return (b) => {
    if (b.coverage.state !== 'measured') return null;
    const pct = b.coverage[key];
    return pct === null ? w.t('xlsx.values.noObjects') : pctFraction(pct);
  };
}

export async function addBucketsSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  const enabled = (b: BucketResult) => (b.defaultEncryption.state === 'enabled' ? b.defaultEncryption : undefined);
  const specs: Array<ColumnSpec<BucketResult>> = [
    { id: 'account', value: (b) => b.account },
    { id: 'region', value: (b) => b.region },
    { id: 'bucket', value: (b) => b.name },
    { id: 'defaultEncryption', value: (b) => defaultEncryptionState(w, b) },
    { id: 'mode', value: (b) => enabled(b)?.mode },
    { id: 'algorithm', value: (b) => enabled(b)?.algorithm },
    { id: 'kmsKey', value: (b) => kmsKey(w, b) },
    { id: 'keyManager', value: (b) => keyManager(w, b) },
    {
      id: 'bucketKey',
      value: (b) => {
        const e = enabled(b);
        return e ? yesNo(w, e.bucketKeyEnabled) : undefined;
      },
    },
    { id: 'extraRules', format: 'count', value: (b) => enabled(b)?.extraRules },
    {
      id: 'expectedMode',
      value: (b) => (b.expectation.requiredMode === 'any' ? w.t('xlsx.buckets.anyMode') : b.expectation.requiredMode),
    },
    { id: 'allowedKmsKeys', wrap: true, value: (b) => lines(b.expectation.allowedKmsKeys) },
    { id: 'expectationSource', value: (b) => b.expectation.source },
    { id: 'policyState', value: (b) => w.t(`xlsx.buckets.policyState.${b.policyState}`) },
    { id: 'sseEnforcement', value: (b) => enforcementLabel(w, b.sseEnforcement.level) },
    { id: 'sseReason', wrap: true, value: (b) => b.sseEnforcement.reason },
    { id: 'sseStatements', wrap: true, value: (b) => lines(b.sseEnforcement.statements) },
    { id: 'tlsEnforcement', value: (b) => enforcementLabel(w, b.tlsEnforcement.level) },
    { id: 'tlsReason', wrap: true, value: (b) => b.tlsEnforcement.reason },
    { id: 'tlsStatements', wrap: true, value: (b) => lines(b.tlsEnforcement.statements) },
    { id: 'minimumTlsVersion', value: (b) => b.tlsEnforcement.minimumTlsVersion },
    { id: 'publicAccessBlock', wrap: true, value: (b) => publicAccessBlock(w, b) },
    { id: 'coverageState', value: (b) => coverageStateLabel(w, b.coverage) },
    { id: 'coverageNote', wrap: true, value: coverageNote },
    { id: 'totalObjects', format: 'count', value: measured((c) => c.total.objects) },
    { id: 'totalBytes', format: 'bytes', value: measured((c) => c.total.bytes) },
    { id: 'encryptedObjects', format: 'count', value: measured((c) => c.encrypted.objects) },
    { id: 'encryptedBytes', format: 'bytes', value: measured((c) => c.encrypted.bytes) },
    { id: 'unencryptedObjects', format: 'count', value: measured((c) => c.unencrypted.objects) },
    { id: 'unencryptedBytes', format: 'bytes', value: measured((c) => c.unencrypted.bytes) },
    { id: 'unknownStatusObjects', format: 'count', value: measured((c) => c.unknownStatus.objects) },
    { id: 'objectsPct', format: 'pct', value: measuredPct(w, 'objectsPct') },
    { id: 'bytesPct', format: 'pct', value: measuredPct(w, 'bytesPct') },
    {
      id: 'reportDate',
      when: { zone: p.period.timeZone, kind: 'datetime' },
      value: (b) => (b.coverage.state === 'measured' ? b.coverage.reportDate : undefined),
    },
    { id: 'sseC', value: (b) => sseCText(w, b) },
    { id: 'sseCObjects', format: 'count', value: measured((c) => c.tally['SSE-C'].objects) },
    { id: 'evidence', wrap: true, value: (b) => lines(b.evidence), link: (b) => evidenceLink(b.evidence) },
  ];
  await writeTable(book, w.t('xlsx.sheets.buckets'), columnsFor(w, 'buckets', specs), p.buckets);
}
