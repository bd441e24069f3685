import type { Book } from '../book.js';
import type { KeyResult, Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { evidenceLink, lines, yesNo } from '../labels.js';
import { columnsFor, writeTable } from '../table.js';
import { custodyText } from '../../key-custody-text.js';

function rotationText(w: Wording, rotation: KeyResult['rotation']): string {
  if (rotation.state === 'unreadable') return w.t('xlsx.keys.rotationUnreadable', { errorCode: rotation.errorCode });
  return w.t(`xlsx.keys.rotation.${rotation.state}`);
}

export async function addKeysSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  const name = w.t('xlsx.sheets.keys');
  const columns = columnsFor<KeyResult>(w, 'keys', [
    { id: 'account', value: (k) => k.account },
    { id: 'region', value: (k) => k.region },
    { id: 'reference', value: (k) => k.reference },
    { id: 'alias', value: (k) => k.alias },
    { id: 'arn', value: (k) => k.arn },
    { id: 'manager', value: (k) => w.t(`xlsx.keyManager.${k.manager}`) },
    { id: 'state', value: (k) => k.state },
    { id: 'rotation', value: (k) => rotationText(w, k.rotation) },
    {
      id: 'rotationPeriodDays',
      format: 'count',
      value: (k) => (k.rotation.state === 'enabled' ? k.rotation.periodDays : undefined),
    },
    {
      id: 'nextRotation',
      when: { zone: p.period.timeZone, kind: 'datetime' },
      value: (k) => (k.rotation.state === 'enabled' ? k.rotation.nextRotation : undefined),
    },
    { id: 'readable', value: (k) => yesNo(w, k.readable) },
    { id: 'errorCode', value: (k) => k.errorCode },
    {
      id: 'custody',
      wrap: true,
      value: (k) => (k.custody ? custodyText((key, c) => w.t(`xlsx.keys.custody.${key}`, c), k.custody) : undefined),
    },
    { id: 'usedBy', wrap: true, value: (k) => lines(k.usedBy) },
    { id: 'evidence', wrap: true, value: (k) => lines(k.evidence), link: (k) => evidenceLink(k.evidence) },
  ]);
  await writeTable(book, name, columns, p.keys);
}
