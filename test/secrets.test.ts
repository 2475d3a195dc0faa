import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/emulator/server.js';
import type { EmulatorFault } from '../src/emulator/types.js';
import { createGateway } from '../src/server.js';
import { createTairClient, type TairClient } from '../src/tair/client.js';
import type { TairBackupClient } from '../src/tair/types.js';
import { instanceWith, TEST_NOW } from './support/gateway-harness.js';
import { captureLog, findSecrets, needlesFor, uniqueKeyPair } from './support/secret-scan.js';
import { startUpstreamRecorder, type UpstreamRecorder } from './support/upstream-recorder.js';

// The gateway's credentials for this run, and a second secret it signs with by mistake.
const KEYS = uniqueKeyPair();
const WRONG_SECRET = uniqueKeyPair().accessKeySecret;

const FAULTS: Record<string, EmulatorFault> = {
  'r-denied': {
    Code: 'Forbidden.RAM',
    HttpStatus: 403,
    AccessDeniedDetail: {
      // Every field quotes a credential: the gateway passes on none of them.
      AuthAction: `kvstore:DescribeBackups for ${KEYS.accessKeyId}`,
      AuthPrincipalDisplayName: KEYS.accessKeyId,
      NoPermissionType: KEYS.accessKeySecret,
      PolicyType: `AccountLevelIdentityBasedPolicy ${KEYS.accessKeyId}`,
      EncodedDiagnosticMessage: `AQEAAAAAaO${KEYS.accessKeySecret}`,
    },
  },
  'r-throttled': { Code: 'Throttling.User', HttpStatus: 400 },
  'r-internal': { Code: 'InternalError', HttpStatus: 500 },
  'r-html': { Body: '<html><body>502 Bad Gateway</body></html>', HttpStatus: 502 },
  'r-reset': { Reset: true },
  'r-timeout': { LatencyMs: 5000 },
  'r-unknown': { Code: 'Some.NewCode', HttpStatus: 400 },
  'r-busy': { Code: 'IncorrectDBInstanceState', HttpStatus: 403 },
  // Upstream messages that quote credentials: the gateway must scrub what it passes on.
  'r-quoting': {
    Code: 'InvalidParameter',
    HttpStatus: 400,
    Message: `The request by ${KEYS.accessKeyId} (secret ${KEYS.accessKeySecret}) with Signature=abc%2B is invalid.`,
  },
  'r-keyid': {
    Code: 'InvalidAccessKeyId.NotFound',
    HttpStatus: 404,
    Message: `Specified access key is not found: ${KEYS.accessKeyId}`,
  },
};

let emulator: RunningEmulator;
let recorder: UpstreamRecorder;
let client: TairClient;
let wrongClient: TairClient;
let server: Server;
let url: string;
const gatewayLog = captureLog();
const clientLog = captureLog();
const responses: Array<{ source: string; text: string }> = [];

beforeAll(async () => {
  emulator = await startEmulator({
    dataset: {
      instances: {
        'r-ok': instanceWith(8),
        'r-wrong-secret': instanceWith(3),
        ...Object.fromEntries(
          Object.entries(FAULTS).map(([id, Fault]) => [id, instanceWith(2, { Fault })]),
        ),
      },
    },
    ...KEYS,
  });
  recorder = await startUpstreamRecorder(emulator.url);
  const common = {
    endpoint: recorder.url,
    logger: clientLog.logger.child({ component: 'tair-client' }),
    timeoutMs: 300,
    deadlineMs: 1200,
    baseDelayMs: 1,
    maxDelayMs: 5,
  };
  client = createTairClient({ ...common, credentials: { kind: 'static', ...KEYS } });
  wrongClient = createTairClient({
    ...common,
    credentials: { kind: 'static', accessKeyId: KEYS.accessKeyId, accessKeySecret: WRONG_SECRET },
  });
  // One gateway: most instances through the right key, one through the wrong secret, and one
  // that fails in a way nobody planned for, so the masking path runs too.
  const routing: TairBackupClient = {
    describeBackups: async (input) => {
      if (input.instanceId === 'r-bug') {
        throw new TypeError('a bug: cannot read properties of undefined');
      }

      return (input.instanceId === 'r-wrong-secret' ? wrongClient : client).describeBackups(input);
    },
  };
  const gateway = createGateway({
    client: routing,
    logger: gatewayLog.logger,
    now: () => TEST_NOW,
  });
  server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  client.close();
  wrongClient.close();
  await recorder.close();
  await emulator.close();
});

async function send(source: string, init: RequestInit & { query?: string } = {}): Promise<string> {
  const response = await fetch(
    init.query ? `${url}?query=${encodeURIComponent(init.query)}` : url,
    init,
  );
  const text = await response.text();
  responses.push({ source, text: `${JSON.stringify([...response.headers])}\n${text}` });

  return text;
}

function post(source: string, query: string, variables?: Record<string, unknown>) {
  return send(source, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
}

const EVERYTHING = `
  backupStorage { __typename ... on BackupStorage { fullBytes } ... on Error { code message upstreamCode requestId } }
  backups(first: 3) {
    totalCount
    pageInfo { endCursor }
    error { __typename code message upstreamCode requestId retryable
      ... on AccessDeniedError { authAction noPermissionType policyType encodedDiagnosticMessage } }
    edges { node { id backupId downloadUrl intranetDownloadUrl } }
  }`;

describe("the gateway's credentials", () => {
  it('appear in no response body and no gateway or client log line, on any path', async () => {
    const ids = ['r-ok', 'r-absent', 'r-wrong-secret', 'r-bug', ...Object.keys(FAULTS)];
    for (const id of ids) {
      await post(`instance ${id}`, `query One($id: ID!) { instance(id: $id) { ${EVERYTHING} } }`, {
        id,
      });
    }
    await post(
      'all at once',
      `query All($ids: [ID!]!) { instances(ids: $ids) { id ${EVERYTHING} } }`,
      {
        ids,
      },
    );
    const first = JSON.parse(
      await post(
        'page one',
        '{ instance(id: "r-ok") { backups(first: 2) { pageInfo { endCursor } } } }',
      ),
    );
    const cursor = first.data.instance.backups.pageInfo.endCursor as string;
    await post(
      'page two',
      `{ instance(id: "r-ok") { backups(first: 2, after: "${cursor}") { edges { node { id } } } } }`,
    );
    await post('node refetch', `{ node(id: "r-ok") { id } }`);
    // Refusals of every layer: argument, cursor, DateTime, id length, cost, depth, syntax, JSON.
    await post(
      'bad first',
      '{ instance(id: "r-ok") { backups(first: -1) { error { message } } } }',
    );
    await post(
      'bad cursor',
      '{ instance(id: "r-ok") { backups(after: "garbage") { error { message } } } }',
    );
    await post(
      'bad DateTime',
      '{ instance(id: "r-ok") { backups(filter: { startTime: "today" }) { totalCount } } }',
    );
    await post(
      'long id',
      `{ instance(id: "${'x'.repeat(10_240)}") { backups { error { message } } } }`,
    );
    await post(
      'cost',
      `{ instances(ids: ${JSON.stringify(ids.concat(ids, ids, ids, ids, ids, ids))}) { backups(first: 300) { edges { node { id } } } } }`,
    );
    await post('syntax', '{ instance(id: "r-ok") { ');
    await send('not JSON', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    await send('GET', {
      method: 'GET',
      query: '{ instance(id: "r-ok") { backups(first: 1) { totalCount } } }',
    });
    await send('GraphiQL', { method: 'GET', headers: { accept: 'text/html' } });

    // The run really exercised the paths that could leak.
    const signed = recorder.requests.filter((request) => request.signature !== null);
    expect(signed.length).toBeGreaterThan(20);
    expect(signed.length).toBe(recorder.requests.length);
    const mismatch = recorder.requests.find((request) =>
      request.responseBody.includes('SignatureDoesNotMatch'),
    );
    expect(mismatch?.responseBody).toContain(KEYS.accessKeyId);
    expect(responses.some((r) => r.text.includes('CREDENTIALS_REJECTED'))).toBe(true);
    expect(responses.some((r) => r.text.includes('Unexpected error.'))).toBe(true);
    expect(responses.some((r) => r.text.includes('timed out'))).toBe(true);
    expect(clientLog.lines.some((line) => line.includes('"upstream call"'))).toBe(true);
    expect(gatewayLog.lines.some((line) => line.includes('a bug: cannot read'))).toBe(true);

    const needles = [
      ...needlesFor('AccessKeyId', KEYS.accessKeyId),
      ...needlesFor('AccessKeySecret', KEYS.accessKeySecret),
      ...needlesFor('wrong AccessKeySecret', WRONG_SECRET),
      ...signed.flatMap((request) => needlesFor('a request signature', request.signature!)),
    ];
    const sources = [
      ...responses,
      ...gatewayLog.lines.map((text, index) => ({ source: `gateway log line ${index}`, text })),
      ...clientLog.lines.map((text, index) => ({ source: `client log line ${index}`, text })),
    ];
    expect(findSecrets(sources, needles)).toEqual([]);
  });

  it('are found by the scan when they do appear, so a clean scan means something', () => {
    const needles = [
      ...needlesFor('AccessKeyId', KEYS.accessKeyId),
      ...needlesFor('sig', 'ab+c/d='),
    ];
    const hits = findSecrets(
      [
        { source: 'plain', text: `key ${KEYS.accessKeyId} here` },
        { source: 'encoded', text: 'Signature=ab%2Bc%2Fd%3D&x=1' },
        { source: 'clean', text: 'nothing to see' },
      ],
      needles,
    );

    expect(hits.map((hit) => hit.split(':')[0])).toEqual([
      'AccessKeyId in plain',
      'sig in encoded',
    ]);
  });
});
