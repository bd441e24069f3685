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
  doc.font('Helvetica-Bold').fontSize(9).fillColor('#C00000');
  doc.text(ctx.t('provisionalNote', { period: packet.period.label }), g.left, 6, {
    width,
    align: 'center',
    lineBreak: false,
  });
  const cx = (g.left + g.right) / 2;
  const cy = doc.page.height / 2;
  doc.rotate(-35, { origin: [cx, cy] });
  doc.fillOpacity(0.12).fontSize(96);
  const word = ctx.t('provisional');
  const wordWidth = doc.widthOfString(word);
  doc.text(word, cx - wordWidth / 2, cy - 48, { lineBreak: false });
  doc.restore();
}
