import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET } from '../src/emulator/demo-data.js';
import type { Logger, LogLevel } from '../src/logger.js';
import { createGateway } from '../src/server.js';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';

type Line = Record<string, unknown>;

/** A logger at `level` whose JSON lines land in `lines`, as they would on stdout. */
function capturingLogger(level: LogLevel, lines: Line[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(text) as Line);
      }
      done();
    },
  });

  return pino({ level }, sink);
}

const lines: Line[] = [];
let harness: Harness;

beforeAll(async () => {
  const logger = capturingLogger('debug', lines);
  harness = await startHarness({
    dataset: {
      instances: {
        'r-logged0001': instanceWith(40),
        'r-logged0002': instanceWith(5),
        'r-denied0001': instanceWith(3, { Fault: { Code: 'Forbidden.RAM', HttpStatus: 403 } }),
      },
    },
    client: { logger },
    gateway: { logger },
  });
});
afterAll(() => harness.close());
beforeEach(() => {
  lines.length = 0;
});

async function post(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await harness.gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  await response.text();

  return response;
}

const requestLines = () => lines.filter((line) => 'outcome' in line && 'upstreamCalls' in line);

describe('request logging', () => {
  it('writes one info line per request with its operation, duration, upstream calls and id', async () => {
    const response = await post({
      query: `query TwoInstances {
        a: instance(id: "r-logged0001") { backups(first: 30) { totalCount } }
        b: instance(id: "r-logged0002") { backups(first: 30) { totalCount } }
      }`,
    });

    const logged = requestLines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 30,
      requestId: response.headers.get('x-request-id'),
      operationName: 'TwoInstances',
      operationType: 'query',
      httpStatus: 200,
      upstreamCalls: 2,
      typedErrors: {},
      graphqlErrors: {},
      outcome: 'ok',
      msg: `TwoInstances ok in ${String(logged[0]!.durationMs)} ms, 2 upstream calls`,
    });
    expect(logged[0]!.durationMs).toBeGreaterThan(0);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps a caller's x-request-id and puts it on every line of the request", async () => {
    const response = await post(
      { query: '{ instance(id: "r-logged0002") { backups(first: 1) { totalCount } } }' },
      { 'x-request-id': 'trace-42.a' },
    );

    expect(response.headers.get('x-request-id')).toBe('trace-42.a');
    expect(requestLines()).toEqual([
      expect.objectContaining({ requestId: 'trace-42.a', operationName: null, upstreamCalls: 1 }),
    ]);
  });

  it('replaces an x-request-id that is not a plain token', async () => {
    const response = await post(
      { query: '{ instance(id: "r-logged0002") { id } }' },
      { 'x-request-id': 'two\twords and more' },
    );

    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestLines()[0]!.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('counts typed errors by type, whether or not the client selected __typename', async () => {
    await post({
      query: `query Failing {
        denied: instance(id: "r-denied0001") {
          backupStorage { ... on Error { code } }
          backups(first: 2) { error { code } }
        }
        fine: instance(id: "r-logged0002") { backups(first: 2) { error { code } } }
      }`,
    });

    expect(requestLines()).toEqual([
      expect.objectContaining({
        operationName: 'Failing',
        typedErrors: { AccessDeniedError: 2 },
        graphqlErrors: {},
        outcome: 'typed_error',
        upstreamCalls: 2,
      }),
    ]);
  });

  it('counts GraphQL errors by code for a request refused before execution', async () => {
    await post({ query: 'query Broken { nothingHere }', operationName: 'Broken' });

    expect(requestLines()).toEqual([
      expect.objectContaining({
        operationName: 'Broken',
        operationType: null,
        upstreamCalls: 0,
        typedErrors: {},
        graphqlErrors: { GRAPHQL_VALIDATION_FAILED: 1 },
        outcome: 'error',
      }),
    ]);
  });

  it('counts a masked unexpected error as INTERNAL_SERVER_ERROR and logs it whole', async () => {
    const broken: Line[] = [];
    const gateway = createGateway({
      // A client that fails in a way nobody typed: the gateway must mask it.
      client: {
        describeBackups: () =>
          Promise.reject(new TypeError('a bug, with details for the operator')),
      },
      logger: capturingLogger('info', broken),
    });
    const response = await gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ instance(id: "r-broken00001") { backups { totalCount } } }',
      }),
    });
    const body = JSON.stringify(await response.json());

    expect(body).toContain('Unexpected error.');
    expect(body).not.toContain('a bug, with details');
    const requestLine = broken.find((line) => 'outcome' in line);
    expect(requestLine).toMatchObject({
      graphqlErrors: { INTERNAL_SERVER_ERROR: 1 },
      outcome: 'error',
    });
    // Logged whole, on the request's own line of descent: the same request id.
    const errorLine = broken.find(
      (line) => line.msg === 'unexpected error while executing an operation',
    );
    expect(JSON.stringify(errorLine)).toContain('a bug, with details for the operator');
    expect(errorLine).toMatchObject({ level: 50, requestId: requestLine!['requestId'] });
  });

  it('logs every upstream attempt at debug with instance, page, duration and RequestId', async () => {
    await post({ query: '{ instance(id: "r-logged0001") { backups(first: 30) { totalCount } } }' });

    const calls = lines.filter((line) => line.msg === 'upstream call');
    expect(calls).toEqual([
      expect.objectContaining({
        level: 20,
        action: 'DescribeBackups',
        instanceId: 'r-logged0001',
        pageSize: 30,
        pageNumber: 1,
        outcome: 'ok',
        attempt: 1,
        requestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
      }),
    ]);
    expect(typeof calls[0]!.durationMs).toBe('number');
  });

  it('never writes the key pair, a signature, request headers or variables', async () => {
    await post(
      {
        query: 'query Vars($id: ID!) { instance(id: $id) { backups(first: 3) { totalCount } } }',
        variables: { id: 'r-logged0001', extra: 'variable-value-never-logged' },
      },
      { authorization: 'Bearer header-value-never-logged' },
    );
    const text = lines.map((line) => JSON.stringify(line)).join('\n');

    expect(requestLines()).toHaveLength(1);
    expect(text).not.toContain(DEMO_ACCESS_KEY_SECRET);
    expect(text).not.toContain(DEMO_ACCESS_KEY_ID);
    expect(text).not.toMatch(/Signature/i);
    expect(text).not.toContain('header-value-never-logged');
    expect(text).not.toContain('variable-value-never-logged');
  });

  it('leaves the per-call lines out at LOG_LEVEL=info', async () => {
    const infoLines: Line[] = [];
    const quiet = await startHarness({
      dataset: { instances: { 'r-quiet00001': instanceWith(2) } },
      client: { logger: capturingLogger('info', infoLines) },
      gateway: { logger: capturingLogger('info', infoLines) },
    });
    try {
      await quiet.query('{ instance(id: "r-quiet00001") { backups { totalCount } } }');
    } finally {
      await quiet.close();
    }

    expect(infoLines.map((line) => line.msg)).toEqual([
      `anonymous ok in ${String(infoLines[0]?.durationMs)} ms, 1 upstream call`,
    ]);
  });
});

describe('batched requests', () => {
  it('writes one line for the batch, with every operation, their upstream calls and typed errors', async () => {
    const response = await harness.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { query: 'query A { instance(id: "r-logged0001") { backups { totalCount } } }' },
        { query: 'query B { instance(id: "r-logged0002") { backups { totalCount } } }' },
        {
          query: 'query C { instance(id: "r-denied0001") { backupStorage { __typename } } }',
        },
      ]),
    });
    await response.text();

    expect(requestLines()).toMatchObject([
      {
        operationName: 'A, B, C',
        operationType: 'query',
        operations: 3,
        httpStatus: 200,
        upstreamCalls: 3,
        typedErrors: { AccessDeniedError: 1 },
        outcome: 'typed_error',
        msg: expect.stringMatching(/^A, B, C typed_error in [\d.]+ ms, 3 upstream calls$/),
      },
    ]);
  });
});

describe('bodies refused for their size', () => {
  it('logs a 413 and a 411 with their request ids, as error outcomes', async () => {
    const large = await harness.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(2 * 1024 * 1024),
        'x-request-id': 'big-1',
      },
      body: 'x',
    });
    const unsized = await harness.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'chunky-1' },
      body: new Blob(['{"query":"{ __typename }"}']).stream(),
      duplex: 'half',
    } as RequestInit);

    expect([large.status, unsized.status]).toEqual([413, 411]);
    expect(requestLines()).toMatchObject([
      { requestId: 'big-1', httpStatus: 413, outcome: 'error', operationName: null },
      { requestId: 'chunky-1', httpStatus: 411, outcome: 'error', operationName: null },
    ]);
  });
});

describe('malformed requests', () => {
  async function send(url: string, init: RequestInit = {}) {
    const response = await harness.gateway.fetch(url, init);

    return { status: response.status, body: (await response.json()) as unknown };
  }

  it('refuses a null entry of a batch on its own, with no error logged', async () => {
    const { status, body } = await send('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[{"query":"{ __typename }","operationName":5},null]',
    });

    expect(status).toBe(200);
    expect(body).toEqual([
      {
        errors: [
          expect.objectContaining({
            extensions: expect.objectContaining({ code: 'OPERATION_RESOLUTION_FAILURE' }),
          }),
        ],
      },
      {
        errors: [
          expect.objectContaining({
            message: 'Expected params to be an object but given null.',
            extensions: expect.objectContaining({ code: 'BAD_REQUEST' }),
          }),
        ],
      },
    ]);
    expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
    expect(requestLines()).toMatchObject([
      { operationName: 'anonymous, anonymous', operations: 2, httpStatus: 200 },
    ]);
  });

  it.each([
    ['variables', 'GET', '?query=%7B__typename%7D&variables=%7Bbad'],
    ['extensions', 'GET', '?query=%7B__typename%7D&extensions=%7Bbad'],
    ['variables', 'POST', 'query=%7B__typename%7D&variables=%7Bbad'],
  ])(
    'refuses %s that are not JSON in a %s with 400, naming the parameter',
    async (name, method, params) => {
      const { status, body } = await send(
        method === 'GET' ? `http://gateway.test/graphql${params}` : 'http://gateway.test/graphql',
        method === 'GET'
          ? { headers: { accept: 'application/graphql-response+json' } }
          : {
              method,
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                accept: 'application/graphql-response+json',
              },
              body: params,
            },
      );

      expect(status).toBe(400);
      expect(body).toEqual({
        errors: [
          {
            message: `The "${name}" parameter is not valid JSON.`,
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
      expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
    },
  );
});
