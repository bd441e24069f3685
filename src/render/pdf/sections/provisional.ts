import { drawText, measurer } from '../draw.js';
import type { PageContext } from './context.js';

/**
 * A provisional packet's page carries PROVISIONAL across it (drawn over the laid-out page, so the
 * one-page layout is unchanged) and a line saying why at the very top.
 */
export function drawProvisionalStamp(ctx: PageContext): void {
  const { doc, packet, geometry: g } = ctx;
  if (!packet.provisional) return;
  const width = g.right - g.left;
  doc.save();
  const note = { font: 'bold', size: 9, color: '#C00000' } as const;
  drawText(doc, ctx.t('provisionalNote', { period: packet.period.label }), g.left, 6, note, { width, align: 'center' });
  const cx = (g.left + g.right) / 2;
  const cy = doc.page.height / 2;
  doc.rotate(-35, { origin: [cx, cy] });
  doc.fillOpacity(0.12);
  const stamp = { font: 'bold', size: 96, color: '#C00000' } as const;
  const word = ctx.t('provisional');
  const wordWidth = measurer(doc, stamp)(word);
  drawText(doc, word, cx - wordWidth / 2, cy - 48, stamp, { width: wordWidth + 1 });
  doc.restore();
}
