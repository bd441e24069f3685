export { publishPacket, uploadOrder, type PublishSettings } from './publish-packet.js';
export { parsePublishUrl, packetKeyPrefix, type PublishTarget } from './target.js';
export { RECEIPT_FILE, type PublishReceipt, type PublishedObject } from './receipt.js';
