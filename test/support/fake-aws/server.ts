import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerKms, identifyKms, kmsError, kmsThrottle } from './kms.js';
import { Recorder, type ReceivedCall } from './recorder.js';
import { answerS3, identifyS3, s3Error, s3Throttle } from './s3.js';
import { answerExpress, expressThrottle, expressUnreachable, identifyExpress } from './s3express.js';
import { answerTables, identifyTables, tablesError, tablesThrottle } from './s3tables.js';
import type { Fault, Scenario, Service } from './scenario.js';
import { answerSts, identifySts, stsError, stsThrottle } from './sts.js';
import { answerCloudTrail } from './cloudtrail.js';
import { answerConfig } from './config.js';
import { identifyJson11, jsonError, jsonThrottle } from './json11.js';
import { credentialScope, type Identified, type WireAnswer, type WireRequest } from './wire.js';
import { wrongShape } from './wrong-shape.js';
import { jsonOk, parseJsonBody } from './json11.js';

/** Athena's calls, answered by the scenario's fake Athena service (JSON 1.1); without one, Athena is not offered. */
async function answerAthena(req: WireRequest, operation: string, scenario: Scenario): Promise<WireAnswer> {
  if (!scenario.athena) return jsonError(req, 400, 'UnrecognizedClientException', 'Athena is not offered here');
  const a = await scenario.athena.answer(operation, parseJsonBody(req));
  if (a.status === 200) return jsonOk(req, JSON.parse(a.body));
  const e = JSON.parse(a.body) as { __type: string; Message: string };
  return jsonError(req, a.status, e.__type, e.Message);
}

export interface FakeAws {
  /** e.g. http://127.0.0.1:41234 — one endpoint for S3, KMS, STS, CloudTrail and Config (told apart by the SigV4 scope). */
  endpoint: string;
  recorder: Recorder;
  /** Live: tests may change it between collections. */
  scenario: Scenario;
  /** Credentials of `scenario.caller`. */
  callerCredentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

const SERVICES: ReadonlySet<string> = new Set([
  's3',
  's3tables',
  's3express',
  'kms',
  'sts',
  'cloudtrail',
  'config',
  'athena',
]);

const IDENTIFY: Record<Service, (r: WireRequest) => Identified> = {
  s3: identifyS3,
  s3tables: identifyTables,
  s3express: identifyExpress,
  kms: identifyKms,
  sts: identifySts,
  cloudtrail: identifyJson11,
  config: identifyJson11,
  athena: identifyJson11,
};
const THROTTLE: Record<Service, (r: WireRequest) => WireAnswer> = {
  s3: s3Throttle,
  s3tables: tablesThrottle,
  s3express: expressThrottle,
  kms: kmsThrottle,
  sts: stsThrottle,
  cloudtrail: jsonThrottle,
  config: jsonThrottle,
  athena: jsonThrottle,
};

function errorFor(service: Service, req: WireRequest, status: number, code: string, message: string): WireAnswer {
  if (service === 's3' || service === 's3express') return s3Error(req, status, code, message);
  if (service === 'kms') return kmsError(req, status, code, message);
  if (service === 's3tables') return tablesError(req, status, code, message);
  if (service === 'sts') return stsError(req, status, code, message);
  return jsonError(req, status, code, message);
}

function matches(f: Fault, call: ReceivedCall): boolean {
  if (f.times !== undefined && f.times <= 0) return false;
  if (f.service && f.service !== call.service) return false;
  if (f.operation && f.operation !== call.operation) return false;
  if (f.account && f.account !== call.account) return false;
  if (f.region && f.region !== call.region) return false;
  if (f.bucket && f.bucket !== call.bucket) return false;
  if (f.bucketPrefix && !(call.bucket ?? '').startsWith(f.bucketPrefix)) return false;
  if (f.key && !(call.key ?? '').includes(f.key)) return false;
  return true;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the fake AWS endpoint on 127.0.0.1 and a random port. */
export async function startFakeAws(scenario: Scenario): Promise<FakeAws> {
  const recorder = new Recorder();
  const identities = new Map<string, { account: string; arn: string }>([
    [scenario.caller.accessKeyId, { account: scenario.caller.account, arn: scenario.caller.arn }],
  ]);
  let seq = 0;
  let issued = 0;
  const issue = (identity: { account: string; arn: string }) => {
    const n = String(++issued).padStart(8, '0');
    const accessKeyId = `ASIAFAKE${n}`;
    identities.set(accessKeyId, identity);
    return { accessKeyId, secretAccessKey: `secret-${n}`, sessionToken: `token-${n}` };
  };

  const handle = async (http: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(http);
    const url = new URL(http.url ?? '/', 'http://fake');
    const scope = credentialScope(http.headers.authorization);
    const service: Service = scope && SERVICES.has(scope.service) ? (scope.service as Service) : 's3';
    const requestId = `FAKE${service.toUpperCase()}${String(++seq).padStart(8, '0')}`;
    const identity = scope ? identities.get(scope.accessKeyId) : undefined;
    const req: WireRequest = {
      method: http.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: http.headers,
      body,
      service,
      region: scope?.region ?? 'us-east-1',
      accessKeyId: scope?.accessKeyId ?? '',
      requestId,
      ...(identity ? { identity } : {}),
    };
    const id = IDENTIFY[service](req);
    const call: ReceivedCall = {
      service,
      operation: id.operation,
      method: req.method,
      region: req.region,
      requestId,
      ...(identity ? { account: identity.account } : {}),
      ...(id.bucket ? { bucket: id.bucket } : {}),
      ...(id.key ? { key: id.key } : {}),
      ...(id.params ? { params: id.params } : {}),
    };
    const end = recorder.start(call);
    res.on('close', end);

    let latency = scenario.latencyMs ?? 0;
    let truncate = false;
    let misshape = false;
    let answer: WireAnswer | undefined;
    if (!scope) answer = errorFor(service, req, 403, 'AccessDenied', 'the request is not signed with SigV4');
    else if (!identity) {
      const [status, code] =
        service === 's3' || service === 's3express'
          ? [403, 'InvalidAccessKeyId']
          : service === 'sts'
            ? [403, 'InvalidClientTokenId']
            : service === 's3tables'
              ? [403, 'UnrecognizedClientException']
              : [400, 'UnrecognizedClientException'];
      answer = errorFor(
        service,
        req,
        status,
        code,
        `The security token included in the request is invalid (${scope.accessKeyId}).`,
      );
    }
    if (!answer && service === 's3express' && expressUnreachable(req, scenario)) {
      http.socket.destroy();
      return;
    }
    for (const f of scenario.faults ?? []) {
      if (answer || !matches(f, call)) continue;
      if (f.times !== undefined) f.times -= 1;
      const a = f.action;
      if (a.kind === 'hang') return; // never answered; the client gives up
      if (a.kind === 'reset') {
        http.socket.destroy();
        return;
      }
      if (a.kind === 'block-loop') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, a.ms);
      else if (a.kind === 'truncate') truncate = true;
      else if (a.kind === 'wrong-shape') misshape = true;
      else if (a.kind === 'latency') latency += a.ms;
      else if (a.kind === 'throttle') answer = THROTTLE[service](req);
      else answer = errorFor(service, req, a.status, a.code, a.message ?? a.code);
    }
    if (!answer) {
      if (service === 's3') answer = answerS3(req, id, scenario);
      else if (service === 'kms') answer = answerKms(req, id, scenario);
      else if (service === 's3tables') answer = answerTables(req, id, scenario);
      else if (service === 's3express') answer = answerExpress(req, id, scenario);
      else if (service === 'cloudtrail') answer = answerCloudTrail(req, id, scenario);
      else if (service === 'config') answer = answerConfig(req, id, scenario);
      else if (service === 'athena') answer = await answerAthena(req, id.operation, scenario);
      else answer = answerSts(req, id, scenario, issue);
    }
    if (latency > 0) await sleep(latency);
    call.status = answer.status;
    const answered = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
    const payload = misshape && answer.status < 300 ? wrongShape(answered) : answered;
    // The length is the payload's: a misshapen body is not as long as the answer it was made from.
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(payload.length) });
    if (truncate) {
      res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => http.socket.destroy());
      return;
    }
    res.end(req.method === 'HEAD' ? undefined : payload);
  };

  const server = createServer((http, res) => {
    handle(http, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake-aws: ${String(err)}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    recorder,
    scenario,
    callerCredentials: { accessKeyId: scenario.caller.accessKeyId, secretAccessKey: 'caller-secret' },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
