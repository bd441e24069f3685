/**
 * Demo server access logs and CloudTrail trail files, in the formats AWS delivers them:
 * access-log objects under a simple prefix (`<prefix>YYYY-mm-DD-HH-MM-SS-UniqueString`), one
 * space-separated record per line; trail files as gzipped `{"Records":[...]}` under
 * `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`. Deterministic, like the rest of the demo.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

const hex = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n).toUpperCase();
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function logTime(d: Date): string {
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

export interface DemoRequest {
  bucket: string;
  region: string;
  time: Date;
  requestId: string;
  /** IAM role the caller assumed (session name is added). */
  roleArn: string;
  ip: string;
  operation: 'REST.PUT.OBJECT' | 'REST.GET.OBJECT';
  key: string;
  denied: boolean;
  tls: boolean;
  /** The x-amz-server-side-encryption header sent, if any. */
  sse?: string;
}

function requesterOf(roleArn: string): string {
  const [, , , , account, resource] = roleArn.split(':');
  return `arn:aws:sts::${account}:assumed-role/${resource!.replace(/^role\/(?:.*\/)?/, '')}/demo-session`;
}

/** One access-log record with every current field (24 fields before the newest trailing ones). */
function accessLogLine(r: DemoRequest): string {
  const method = r.operation === 'REST.PUT.OBJECT' ? 'PUT' : 'GET';
  const encodedKey = encodeURIComponent(r.key).replace(/%2F/g, '/');
  const status = r.denied ? '403 AccessDenied' : '200 -';
  const bytes = r.denied ? '243' : r.operation === 'REST.GET.OBJECT' ? '51234' : '-';
  const cipher = r.tls ? 'TLS_AES_128_GCM_SHA256' : '-';
  const tlsVersion = r.tls ? 'TLSv1.3' : '-';
  return [
    OWNER,
    r.bucket,
    `[${logTime(r.time)}]`,
    r.ip,
    requesterOf(r.roleArn),
    r.requestId,
    r.operation,
    encodedKey,
    `"${method} /${encodedKey} HTTP/1.1"`,
    status,
    bytes,
    r.denied ? '-' : '51234',
    '21',
    '9',
    '"-"',
    '"aws-cli/2.17.0 Python/3.11 Linux/6.1 exe/x86_64"',
    '-',
    hex(`${r.requestId}host`, 44),
    'SigV4',
    cipher,
    'AuthHeader',
    `${r.bucket}.s3.${r.region}.amazonaws.com`,
    tlsVersion,
    '-',
    '-',
  ].join(' ');
}

/** Writes access-log objects: one per bucket and day, named as S3 names them under a simple prefix. */
export async function writeAccessLogs(root: string, requests: DemoRequest[]): Promise<void> {
  const byFile = new Map<string, DemoRequest[]>();
  for (const r of requests) {
    const d = r.time;
    const name = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-23-59-59-${hex(`${r.bucket}${d.toISOString().slice(0, 10)}`, 16)}`;
    byFile.set(name, [...(byFile.get(name) ?? []), r]);
  }
  await mkdir(root, { recursive: true });
  for (const [name, rs] of [...byFile.entries()].sort()) {
    rs.sort((a, b) => a.time.getTime() - b.time.getTime());
    await writeFile(path.join(root, name), `${rs.map(accessLogLine).join('\n')}\n`);
  }
}

function sessionIdentity(roleArn: string, invokedBy?: string): Record<string, unknown> {
  const account = roleArn.split(':')[4]!;
  const roleName = roleArn.replace(/^.*:role\/(?:.*\/)?/, '');
  return {
    type: 'AssumedRole',
    principalId: `AROA${hex(roleArn, 17)}:demo-session`,
    arn: requesterOf(roleArn),
    accountId: account,
    accessKeyId: `ASIA${hex(`${roleArn}key`, 16)}`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: `AROA${hex(roleArn, 17)}`,
        arn: roleArn,
        accountId: account,
        userName: roleName,
      },
      attributes: { creationDate: '2026-10-01T00:00:00Z', mfaAuthenticated: 'false' },
    },
    ...(invokedBy ? { invokedBy } : {}),
  };
}

function userIdentity(userArn: string): Record<string, unknown> {
  const account = userArn.split(':')[4]!;
  return {
    type: 'IAMUser',
    principalId: `AIDA${hex(userArn, 17)}`,
    arn: userArn,
    accountId: account,
    accessKeyId: `AKIA${hex(userArn, 16)}`,
    userName: userArn.replace(/^.*:user\//, ''),
  };
}

/** An S3 data event for a PutObject/GetObject, as a trail with S3 data events records it. */
function s3Event(r: DemoRequest, account: string): Record<string, unknown> {
  const eventName = r.operation === 'REST.PUT.OBJECT' ? 'PutObject' : 'GetObject';
  return {
    eventVersion: '1.10',
    userIdentity: sessionIdentity(r.roleArn),
    eventTime: r.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 's3.amazonaws.com',
    eventName,
    awsRegion: r.region,
    sourceIPAddress: r.ip,
    userAgent: '[aws-cli/2.17.0 Python/3.11 Linux/6.1 exe/x86_64]',
    requestParameters: {
      bucketName: r.bucket,
      Host: `${r.bucket}.s3.${r.region}.amazonaws.com`,
      key: r.key,
      ...(r.sse ? { 'x-amz-server-side-encryption': r.sse } : {}),
    },
    responseElements: r.denied ? null : r.sse ? { 'x-amz-server-side-encryption': r.sse } : null,
    additionalEventData: {
      SignatureVersion: 'SigV4',
      AuthenticationMethod: 'AuthHeader',
      bytesTransferredIn: r.denied ? 0 : 51234,
      bytesTransferredOut: r.denied ? 243 : 0,
      ...(r.tls ? { CipherSuite: 'TLS_AES_128_GCM_SHA256' } : {}),
    },
    requestID: r.requestId,
    eventID: `${hex(`${r.requestId}evt`, 8)}-0000-4000-8000-${hex(r.requestId, 12)}`.toLowerCase(),
    readOnly: eventName === 'GetObject',
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${r.bucket}/${r.key}` },
      { accountId: account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${r.bucket}` },
    ],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: account,
    eventCategory: 'Data',
    ...(r.denied ? { errorCode: 'AccessDenied', errorMessage: 'Access Denied' } : {}),
    ...(r.tls
      ? {
          tlsDetails: {
            tlsVersion: 'TLSv1.3',
            cipherSuite: 'TLS_AES_128_GCM_SHA256',
            clientProvidedHostHeader: `${r.bucket}.s3.${r.region}.amazonaws.com`,
          },
        }
      : {}),
  };
}

export interface DemoKmsCall {
  time: Date;
  keyArn: string;
  eventName: string;
  /** A role ARN or an IAM user ARN. */
  principal: string;
  /** Set when S3 called KMS on the principal's behalf (SSE-KMS upload or download). */
  viaS3Bucket?: string;
  errorCode?: string;
  requestParameters?: Record<string, unknown>;
}

function kmsEvent(c: DemoKmsCall, n: number): Record<string, unknown> {
  const [, , , region, account] = c.keyArn.split(':');
  const identity = c.principal.includes(':user/')
    ? userIdentity(c.principal)
    : sessionIdentity(c.principal, c.viaS3Bucket ? 's3.amazonaws.com' : undefined);
  const usage = ['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncrypt'].includes(
    c.eventName,
  );
  return {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: c.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'kms.amazonaws.com',
    eventName: c.eventName,
    awsRegion: region,
    sourceIPAddress: c.viaS3Bucket ? 's3.amazonaws.com' : '203.0.113.40',
    userAgent: c.viaS3Bucket ? 's3.amazonaws.com' : 'aws-cli/2.17.0',
    requestParameters: {
      keyId: c.keyArn,
      ...(usage && c.viaS3Bucket
        ? {
            encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${c.viaS3Bucket}` },
            ...(c.eventName.startsWith('GenerateDataKey')
              ? { keySpec: 'AES_256' }
              : { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }),
          }
        : {}),
      ...(c.requestParameters ?? {}),
    },
    responseElements: null,
    requestID:
      `${hex(`${c.keyArn}${n}`, 8)}-${hex(`${n}r`, 4)}-4${hex(`${n}s`, 3)}-8${hex(`${n}t`, 3)}-${hex(`${n}u`, 12)}`.toLowerCase(),
    eventID:
      `${hex(`${c.keyArn}${n}e`, 8)}-${hex(`${n}f`, 4)}-4${hex(`${n}g`, 3)}-9${hex(`${n}h`, 3)}-${hex(`${n}i`, 12)}`.toLowerCase(),
    readOnly: usage,
    resources: [{ accountId: account, type: 'AWS::KMS::Key', ARN: c.keyArn }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    ...(c.errorCode
      ? { errorCode: c.errorCode, errorMessage: 'User is not authorized to perform this operation' }
      : {}),
  };
}

/** Writes one gzipped trail file per account, region and day. */
export async function writeCloudTrail(
  root: string,
  account: string,
  s3: DemoRequest[],
  kms: DemoKmsCall[],
): Promise<void> {
  const records: Array<{ region: string; time: Date; record: Record<string, unknown> }> = [
    ...s3.map((r) => ({ region: r.region, time: r.time, record: s3Event(r, account) })),
    ...kms.map((c, i) => ({ region: c.keyArn.split(':')[3]!, time: c.time, record: kmsEvent(c, i) })),
  ];
  const byFile = new Map<string, typeof records>();
  for (const r of records) {
    const d = r.time;
    const day = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
    const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T2355Z`;
    const file = `AWSLogs/${account}/CloudTrail/${r.region}/${day}/${account}_CloudTrail_${r.region}_${stamp}_${hex(`${account}${r.region}${day}`, 16)}.json.gz`;
    byFile.set(file, [...(byFile.get(file) ?? []), r]);
  }
  for (const [file, rs] of [...byFile.entries()].sort()) {
    rs.sort((a, b) => a.time.getTime() - b.time.getTime());
    const full = path.join(root, ...file.split('/'));
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, gzipSync(Buffer.from(JSON.stringify({ Records: rs.map((r) => r.record) }))));
  }
}
