export { publishPacket, uploadOrder } from './publish-packet.js';
export { parsePublishUrl, type PublishTarget } from './target.js';
export { RECEIPT_FILE, type PublishReceipt } from './receipt.js';
