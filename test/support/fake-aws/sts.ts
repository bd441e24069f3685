/**
 * AWS STS, query protocol: POST / with a form body (Action=...&Version=2011-06-15), XML answers
 * wrapped in <OperationResponse><OperationResult>, errors in <ErrorResponse><Error>.
 */
import type { Scenario } from './scenario.js';
import { el, XML_DECL, type Identified, type WireAnswer, type WireRequest } from './wire.js';

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function identifySts(req: WireRequest): Identified {
  const form = new URLSearchParams(req.body.toString('utf8'));
  const params: Record<string, string> = {};
  for (const name of ['RoleArn', 'RoleSessionName', 'ExternalId', 'DurationSeconds']) {
    const v = form.get(name);
    if (v !== null) params[name] = v;
  }
  return { operation: form.get('Action') ?? 'Unknown', params };
}

export function stsError(req: WireRequest, status: number, code: string, message: string): WireAnswer {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': req.requestId },
    body: `${XML_DECL}<ErrorResponse xmlns="${STS_NS}"><Error>${el('Type', status >= 500 ? 'Receiver' : 'Sender')}${el('Code', code)}${el('Message', message)}</Error>${el('RequestId', req.requestId)}</ErrorResponse>`,
  };
}

export function stsThrottle(req: WireRequest): WireAnswer {
  return stsError(req, 400, 'Throttling', 'Rate exceeded');
}

function ok(req: WireRequest, action: string, result: string): WireAnswer {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': req.requestId },
    body: `${XML_DECL}<${action}Response xmlns="${STS_NS}"><${action}Result>${result}</${action}Result><ResponseMetadata>${el('RequestId', req.requestId)}</ResponseMetadata></${action}Response>`,
  };
}

/** Issues temporary credentials; the fake remembers which account each access key belongs to. */
export type IssueCredentials = (identity: { account: string; arn: string }) => {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
};

export function answerSts(req: WireRequest, id: Identified, world: Scenario, issue: IssueCredentials): WireAnswer {
  const caller = req.identity!;
  if (id.operation === 'GetCallerIdentity') {
    return ok(
      req,
      'GetCallerIdentity',
      `${el('Arn', caller.arn)}${el('UserId', `AIDA${caller.account}`)}${el('Account', caller.account)}`,
    );
  }
  if (id.operation !== 'AssumeRole')
    return stsError(req, 400, 'InvalidAction', `Could not find operation ${id.operation} for version 2011-06-15`);
  const roleArn = id.params?.RoleArn ?? '';
  const session = id.params?.RoleSessionName ?? '';
  const m = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
  const account = m ? world.accounts.find((a) => a.id === m[1]) : undefined;
  const role = account?.role;
  const denied = () =>
    stsError(
      req,
      403,
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  if (!m || !account || !role || role.name !== m[2]) return denied();
  if (role.externalId !== undefined && role.externalId !== id.params?.ExternalId) return denied();
  if (!/^[\w+=,.@-]{2,64}$/.test(session)) {
    return stsError(
      req,
      400,
      'ValidationError',
      `1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint`,
    );
  }
  const arn = `arn:aws:sts::${account.id}:assumed-role/${role.name}/${session}`;
  const creds = issue({ account: account.id, arn });
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  return ok(
    req,
    'AssumeRole',
    `<Credentials>${el('AccessKeyId', creds.accessKeyId)}${el('SecretAccessKey', creds.secretAccessKey)}${el('SessionToken', creds.sessionToken)}${el('Expiration', expiration)}</Credentials>` +
      `<AssumedRoleUser>${el('Arn', arn)}${el('AssumedRoleId', `AROA${account.id}:${session}`)}</AssumedRoleUser>`,
  );
}
