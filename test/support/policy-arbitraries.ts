/**
 * fast-check generators of bucket policies for the differential test. The vocabulary leans towards the
 * statements that enforce TLS and SSE (and their near misses), so that passing policies are common enough
 * for the comparison to mean something.
 */
import fc from 'fast-check';
import { BUCKET, KMS_KEY_A, KMS_KEY_B, OWNER_ACCOUNT } from './policy-reference.js';

const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;

type Weighted<T> = [number, T][];

function pick<T>(choices: Weighted<T>): fc.Arbitrary<T> {
  return fc.oneof(...choices.map(([weight, value]) => ({ weight, arbitrary: fc.constant(value) })));
}

/** One value, or a list of one to three values (IAM accepts both forms). */
function oneOrMany<T>(values: Weighted<T>): fc.Arbitrary<T | T[]> {
  return fc.oneof(
    { weight: 3, arbitrary: pick(values) },
    { weight: 2, arbitrary: fc.uniqueArray(pick(values), { minLength: 1, maxLength: 3 }) },
  );
}

const ADMIN_ROLE = `arn:aws:iam::${OWNER_ACCOUNT}:role/Admin`;

const principals: Weighted<Record<string, unknown>> = [
  [12, { Principal: '*' }],
  [4, { Principal: { AWS: '*' } }],
  [1, { Principal: { AWS: ['*', ADMIN_ROLE] } }],
  [1, { Principal: { AWS: ADMIN_ROLE } }],
  [1, { Principal: { AWS: OWNER_ACCOUNT } }],
  [1, { Principal: { AWS: `arn:aws:iam::${OWNER_ACCOUNT}:root` } }],
  [1, { Principal: { Service: 'cloudtrail.amazonaws.com' } }],
  [1, { NotPrincipal: { AWS: ADMIN_ROLE } }],
  [1, { NotPrincipal: { AWS: [ADMIN_ROLE, `arn:aws:iam::${OWNER_ACCOUNT}:root`] } }],
];

const actions: Weighted<string> = [
  [8, 's3:*'],
  [4, '*'],
  [6, 's3:PutObject'],
  [1, 'S3:putobject'],
  [2, 's3:Put*'],
  [2, 's3:Get*'],
  [1, 's3:*Object'],
  [1, 's3:PutObject*'],
  [1, 's3:GetObject'],
  [1, 's3:ListBucket'],
  [1, 's3:?*'],
  [1, 'kms:*'],
];

const resources: Weighted<string> = [
  [8, `${BUCKET_ARN}/*`],
  [6, BUCKET_ARN],
  [2, `${BUCKET_ARN}*`],
  [2, 'arn:aws:s3:::example-*'],
  [2, `${BUCKET_ARN}/logs/*`],
  [1, `${BUCKET_ARN}/?*`],
  [1, `${BUCKET_ARN}/*/*`],
  [1, `${BUCKET_ARN}/x`],
  [1, `${BUCKET_ARN}/*.log`],
  [1, 'arn:aws:s3:::*/*'],
  [2, '*'],
  [1, `${BUCKET_ARN}-other/*`],
  [1, 'arn:aws:s3:::other-bucket'],
];

interface KeyVocabulary {
  keys: Weighted<string>;
  operators: Weighted<string>;
  values: Weighted<string | boolean | number>;
}

const SSE_CONDITION: KeyVocabulary = {
  keys: [
    [6, 's3:x-amz-server-side-encryption'],
    [1, 'S3:X-Amz-Server-Side-Encryption'],
  ],
  operators: [
    [6, 'StringNotEquals'],
    [6, 'Null'],
    [2, 'StringEquals'],
    [2, 'StringNotEqualsIfExists'],
    [1, 'StringEqualsIfExists'],
    [2, 'StringNotLike'],
    [1, 'StringLike'],
    [1, 'StringNotLikeIfExists'],
    [1, 'StringNotEqualsIgnoreCase'],
    [1, 'ForAnyValue:StringNotEquals'],
    [1, 'ForAllValues:StringNotEquals'],
    [1, 'ForAnyValue:StringEquals'],
    [1, 'ForAllValues:StringEquals'],
  ],
  values: [
    [4, 'aws:kms'],
    [3, 'AES256'],
    [2, 'aws:kms:dsse'],
    [1, 'aes256'],
    [1, 'aws:kms*'],
    [1, 'aws:*'],
    [1, '*'],
    [3, 'true'],
    [2, 'false'],
    [1, true],
  ],
};

const KMS_KEY_CONDITION: KeyVocabulary = {
  keys: [[1, 's3:x-amz-server-side-encryption-aws-kms-key-id']],
  operators: [
    [4, 'StringNotEquals'],
    [2, 'StringNotEqualsIfExists'],
    [1, 'StringNotLike'],
    [2, 'Null'],
    [1, 'StringEquals'],
  ],
  values: [
    [4, KMS_KEY_A],
    [2, KMS_KEY_B],
    [1, 'arn:aws:kms:us-east-1:111122223333:key/*'],
    [2, 'true'],
    [1, 'false'],
  ],
};

const TRANSPORT_CONDITION: KeyVocabulary = {
  keys: [
    [8, 'aws:SecureTransport'],
    [1, 'aws:securetransport'],
  ],
  operators: [
    [8, 'Bool'],
    [3, 'BoolIfExists'],
    [1, 'StringEquals'],
    [1, 'Null'],
    [1, 'ForAnyValue:Bool'],
  ],
  values: [
    [8, 'false'],
    [3, false],
    [2, 'true'],
    [1, true],
  ],
};

const TLS_VERSION_CONDITION: KeyVocabulary = {
  keys: [[1, 's3:TlsVersion']],
  operators: [
    [4, 'NumericLessThan'],
    [2, 'NumericLessThanIfExists'],
    [1, 'NumericGreaterThanEquals'],
    [1, 'NumericNotEquals'],
    [1, 'Null'],
  ],
  values: [
    [4, '1.2'],
    [2, 1.2],
    [2, '1.3'],
    [1, 'true'],
  ],
};

const OTHER_CONDITION: KeyVocabulary = {
  keys: [
    [2, 'aws:SourceVpce'],
    [1, 'aws:PrincipalAccount'],
  ],
  operators: [
    [2, 'StringNotEquals'],
    [2, 'StringEquals'],
    [1, 'StringNotEqualsIfExists'],
    [1, 'Null'],
  ],
  values: [
    [2, 'vpce-1a2b3c4d'],
    [2, OWNER_ACCOUNT],
    [1, 'true'],
    [1, 'false'],
  ],
};

const SOURCE_IP_CONDITION: KeyVocabulary = {
  keys: [[1, 'aws:SourceIp']],
  operators: [
    [1, 'IpAddress'],
    [1, 'NotIpAddress'],
  ],
  values: [
    [2, '203.0.113.0/24'],
    [1, '198.51.100.7/32'],
  ],
};

/** Null takes only "true" / "false"; the other operators never get those words (a policy AWS would refuse). */
function clause(vocabulary: KeyVocabulary): fc.Arbitrary<{ operator: string; key: string; value: unknown }> {
  return fc.tuple(pick(vocabulary.operators), pick(vocabulary.keys)).chain(([operator, key]) => {
    const isNull = operator === 'Null';
    const isBool = /Bool/.test(operator);
    const fits = vocabulary.values.filter(([, v]) => {
      const word = String(v);
      const boolWord = word === 'true' || word === 'false';
      return isNull || isBool ? boolWord : !boolWord;
    });
    const usable = fits.length > 0 ? fits : ([[1, isNull || isBool ? 'true' : 'x']] as Weighted<string>);
    return oneOrMany(usable).map((value) => ({ operator, key, value }));
  });
}

const anyClause = fc.oneof(
  { weight: 6, arbitrary: clause(SSE_CONDITION) },
  { weight: 2, arbitrary: clause(KMS_KEY_CONDITION) },
  { weight: 6, arbitrary: clause(TRANSPORT_CONDITION) },
  { weight: 2, arbitrary: clause(TLS_VERSION_CONDITION) },
  { weight: 1, arbitrary: clause(OTHER_CONDITION) },
  { weight: 1, arbitrary: clause(SOURCE_IP_CONDITION) },
);

/** Clauses grouped as IAM writes them: operator → key → value(s); a repeated operator/key keeps the last. */
const conditionBlock = fc
  .oneof(
    { weight: 1, arbitrary: fc.constant([]) },
    { weight: 9, arbitrary: fc.array(anyClause, { minLength: 1, maxLength: 3 }) },
  )
  .map((clauses) => {
    const block: Record<string, Record<string, unknown>> = {};
    for (const c of clauses) (block[c.operator] ??= {})[c.key] = c.value;
    return block;
  });

const statement = fc
  .record({
    sid: fc.option(fc.constantFrom('DenyHttp', 'DenyNoSse', 'RequireKms', 'S1', 'S2'), { nil: undefined }),
    effect: pick<string>([
      [12, 'Deny'],
      [1, 'Allow'],
    ]),
    principal: pick(principals),
    actionName: pick<string>([
      [8, 'Action'],
      [1, 'NotAction'],
    ]),
    action: oneOrMany(actions),
    resourceName: pick<string>([
      [8, 'Resource'],
      [1, 'NotResource'],
    ]),
    resource: oneOrMany(resources),
    condition: conditionBlock,
  })
  .map((s) => ({
    ...(s.sid ? { Sid: s.sid } : {}),
    Effect: s.effect,
    ...s.principal,
    [s.actionName]: s.action,
    [s.resourceName]: s.resource,
    ...(Object.keys(s.condition).length > 0 ? { Condition: s.condition } : {}),
  }));

export const bucketPolicy = fc.array(statement, { minLength: 1, maxLength: 4 }).map((statements) => ({
  Version: '2012-10-17',
  Statement: statements.length === 1 && statements[0] ? statements[0] : statements,
}));
