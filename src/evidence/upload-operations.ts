/**
 * Access-log operations that write an object (or a part of one). A copy is logged twice: the
 * REST.COPY.OBJECT record is the write into the destination bucket; REST.COPY.OBJECT_GET (and
 * REST.COPY.PART_GET) is the read of the source and is not an upload.
 */
export const UPLOAD_OPERATIONS: ReadonlySet<string> = new Set([
  'REST.PUT.OBJECT', // PutObject
  'REST.POST.OBJECT', // browser-form POST upload
  'REST.COPY.OBJECT', // CopyObject (destination side)
  'REST.POST.UPLOADS', // CreateMultipartUpload
  'REST.PUT.PART', // UploadPart
  'REST.COPY.PART', // UploadPartCopy
  'REST.POST.UPLOAD', // CompleteMultipartUpload
]);

/** The CloudTrail eventName for each upload operation, so both sources speak one vocabulary. */
export const UPLOAD_EVENT_NAME: Readonly<Record<string, string>> = {
  'REST.PUT.OBJECT': 'PutObject',
  'REST.POST.OBJECT': 'PostObject',
  'REST.COPY.OBJECT': 'CopyObject',
  'REST.POST.UPLOADS': 'CreateMultipartUpload',
  'REST.PUT.PART': 'UploadPart',
  'REST.COPY.PART': 'UploadPartCopy',
  'REST.POST.UPLOAD': 'CompleteMultipartUpload',
};
