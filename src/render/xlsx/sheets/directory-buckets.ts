import type { Book } from '../book.js';
import type { DirectoryBucketResult, DirectoryPolicy } from '../../../model/directory-buckets.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { evidenceLink, lines } from '../labels.js';
import { columnsFor, writeTable } from '../table.js';

/** One row: a directory bucket, or a region whose directory buckets could not be listed. */
interface Row {
  account: string;
  region: string;
  bucket?: string;
  zone?: string;
  encryption: string;
  key?: string;
  policy?: string;
  objects?: string;
  transport?: string;
  evidence: string[];
}

function encryptionText(w: Wording, b: DirectoryBucketResult): string {
  const e = b.encryption;
  if (e.state === 'unreadable') return w.t('xlsx.directoryBuckets.unreadable', { errorCode: e.errorCode });
  return w.t(`xlsx.directoryBuckets.mode.${e.mode}`, { bucketKey: e.bucketKeyEnabled });
}

function policyText(w: Wording, p: DirectoryPolicy): string {
  if (p.state === 'unreadable') return w.t('xlsx.directoryBuckets.policy.unreadable', { errorCode: p.errorCode });
  return w.t(`xlsx.directoryBuckets.policy.${p.state}`, p.state === 'present' ? { statements: p.statements } : {});
}

function rowsOf(w: Wording, p: Packet): Row[] {
  const section = p.directoryBuckets!;
  const rows: Row[] = section.regions
    .filter((r) => !r.listed)
    .map((r) => ({
      account: r.account,
      region: r.region,
      encryption: w.t('xlsx.directoryBuckets.notListed', { reason: r.reason ?? '' }),
      evidence: [r.evidence],
    }));
  for (const b of section.buckets) {
    const keyId = b.kmsKeyArn ?? (b.encryption.state === 'read' ? b.encryption.kmsKeyId : undefined);
    rows.push({
      account: b.account,
      region: b.region,
      bucket: b.name,
      ...(b.zoneId ? { zone: b.zoneId } : {}),
      encryption: encryptionText(w, b),
      ...(keyId ? { key: b.keyAlias ? `${b.keyAlias} (${keyId})` : keyId } : {}),
      policy: policyText(w, b.policy),
      // Properties of the bucket type as AWS documents them, not verdicts on this bucket's policy.
      objects: w.t('xlsx.directoryBuckets.byConstruction'),
      transport: w.t('xlsx.directoryBuckets.httpsOnly'),
      evidence: b.evidence,
    });
  }
  return rows;
}

/** Directory buckets (S3 Express One Zone): one row per bucket, with encryption, key, policy and the type's properties. */
export async function addDirectoryBucketsSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  if (!p.directoryBuckets) return;
  const columns = columnsFor<Row>(w, 'directoryBuckets', [
    { id: 'account', value: (r) => r.account },
    { id: 'region', value: (r) => r.region },
    { id: 'bucket', value: (r) => r.bucket },
    { id: 'zone', value: (r) => r.zone },
    { id: 'encryption', wrap: true, value: (r) => r.encryption },
    { id: 'key', wrap: true, value: (r) => r.key },
    { id: 'policy', wrap: true, value: (r) => r.policy },
    { id: 'objects', wrap: true, value: (r) => r.objects },
    { id: 'transport', wrap: true, value: (r) => r.transport },
    { id: 'evidence', wrap: true, value: (r) => lines(r.evidence), link: (r) => evidenceLink(r.evidence) },
  ]);
  const note = w.t('xlsx.directoryBuckets.note', {
    buckets: p.directoryBuckets.buckets.length,
    listed: p.directoryBuckets.regions.filter((r) => r.listed).length,
    regions: p.directoryBuckets.regions.length,
  });
  await writeTable(book, w.t('xlsx.sheets.directoryBuckets'), columns, rowsOf(w, p), note);
}
