import RPCClient from '@alicloud/pop-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateBackups } from '../src/emulator/generate-backups.js';
import { type RunningEmulator, startEmulator } from '../src/emulator/server.js';
import { canonicalQuery, signV1Params } from '../src/emulator/signature.js';
import type { EmulatorDataset } from '../src/emulator/types.js';

const INSTANCE = 'r-fault0test00001';
const WINDOW = {
  InstanceId: INSTANCE,
  StartTime: '2024-01-01T00:00Z',
  EndTime: '2025-01-01T00:00Z',
};

const dataset = (latencyMs?: number): EmulatorDataset => ({
  instances: {
    [INSTANCE]: {
      Backups: generateBackups({
        instanceId: INSTANCE,
        count: 3,
        newest: new Date('2024-06-01T01:00:17Z'),
      }),
    },
  },
  ...(latencyMs === undefined ? {} : { LatencyMs: latencyMs }),
});

let emulator: RunningEmulator;
let client: RPCClient;

beforeAll(async () => {
  emulator = await startEmulator({ dataset: dataset() });
  client = new RPCClient({
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    endpoint: emulator.url,
    apiVersion: '2015-01-01',
  });
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.setFault(INSTANCE, null);
  emulator.clearRequests();
});

const call = (target = client) =>
  target.request<{ TotalCount: number }>('DescribeBackups', WINDOW, { method: 'GET' }).then(
    (body) => ({ ok: true as const, body }),
    (error: { code?: string; name: string; message: string }) => ({ ok: false as const, error }),
  );

describe('emulator faults', () => {
  it('fails the first Times calls with the fault code, then serves', async () => {
    emulator.setFault(INSTANCE, { Code: 'Throttling.User', HttpStatus: 400, Times: 2 });
    const results = [await call(), await call(), await call()];

    expect(
      results.map((result) => (result.ok ? result.body.TotalCount : result.error.code)),
    ).toEqual(['Throttling.User', 'Throttling.User', 3]);
    expect(emulator.requests.map((record) => [record.status, record.code])).toEqual([
      [400, 'Throttling.User'],
      [400, 'Throttling.User'],
      [200, null],
    ]);
    expect(results[0]).toMatchObject({
      error: { message: expect.stringContaining('Request was denied due to user flow control.') },
    });
  });

  it('fails every call when the fault has no Times, until it is cleared', async () => {
    emulator.setFault(INSTANCE, { Code: 'ServiceUnavailable', HttpStatus: 503 });
    const failures = [await call(), await call(), await call()];
    emulator.setFault(INSTANCE, null);

    expect(
      failures.every((result) => !result.ok && result.error.code === 'ServiceUnavailable'),
    ).toBe(true);
    expect(emulator.requests.map((record) => record.status)).toEqual([503, 503, 503]);
    expect((await call()).ok).toBe(true);
  });

  it('answers Forbidden.RAM with the configured AccessDeniedDetail', async () => {
    const detail = { AuthAction: 'kvstore:DescribeBackups', NoPermissionType: 'ExplicitDeny' };
    emulator.setFault(INSTANCE, {
      Code: 'Forbidden.RAM',
      HttpStatus: 403,
      AccessDeniedDetail: detail,
      Message: 'denied here',
    });
    const response = await fetchSigned();
    const body = await response.json();

    expect(response.status).toBe(403);
    expect(body).toMatchObject({
      Code: 'Forbidden.RAM',
      Message: 'denied here',
      AccessDeniedDetail: detail,
    });
  });

  it('answers a non-JSON Body with its status as text/html, which pop-core cannot parse', async () => {
    emulator.setFault(INSTANCE, {
      Body: '<html><body>502 Bad Gateway</body></html>',
      HttpStatus: 502,
    });
    const response = await fetchSigned();
    const result = await call();

    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html;charset=utf-8');
    expect(await response.text()).toBe('<html><body>502 Bad Gateway</body></html>');
    expect(result).toMatchObject({ ok: false, error: { name: 'SyntaxError' } });
  });

  it('resets the connection without answering', async () => {
    emulator.setFault(INSTANCE, { Reset: true, Times: 1 });
    const result = await call();

    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error.message).toMatch(/ECONNRESET|socket hang up/);
    expect(emulator.requests.at(-1)).toMatchObject({ status: null, instanceId: INSTANCE });
    expect((await call()).ok).toBe(true);
  });

  it('delays the answer by the fault LatencyMs and then serves', async () => {
    emulator.setFault(INSTANCE, { LatencyMs: 250 });
    const started = performance.now();
    const result = await call();

    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(result).toMatchObject({ ok: true, body: { TotalCount: 3 } });
  });

  it('applies only to calls that passed the signature checks', async () => {
    emulator.setFault(INSTANCE, { Code: 'Throttling.User', Times: 1 });
    const wrongSecret = new RPCClient({
      accessKeyId: emulator.accessKeyId,
      accessKeySecret: 'wrong',
      endpoint: emulator.url,
      apiVersion: '2015-01-01',
    });
    const rejected = await call(wrongSecret);

    expect(rejected).toMatchObject({ ok: false, error: { code: 'SignatureDoesNotMatch' } });
    expect(await call()).toMatchObject({ ok: false, error: { code: 'Throttling.User' } });
    expect((await call()).ok).toBe(true);
  });
});

describe('emulator dataset LatencyMs', () => {
  it('delays every call', async () => {
    const slow = await startEmulator({ dataset: dataset(200) });
    try {
      const slowClient = new RPCClient({
        accessKeyId: slow.accessKeyId,
        accessKeySecret: slow.accessKeySecret,
        endpoint: slow.url,
        apiVersion: '2015-01-01',
      });
      const started = performance.now();
      const result = await call(slowClient);

      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      expect(result.ok).toBe(true);
    } finally {
      await slow.close();
    }
  });
});

async function fetchSigned(): Promise<Response> {
  const params = signV1Params(
    'GET',
    { Action: 'DescribeBackups', Version: '2015-01-01', ...WINDOW },
    emulator,
  );

  return fetch(`${emulator.url}/?${canonicalQuery(params)}`);
}

describe('the emulator failing itself', () => {
  it('answers InternalError with 500 when it cannot send a fault, instead of leaving the call hanging', async () => {
    // setFault takes what a dataset file would refuse: a status node cannot send.
    emulator.setFault(INSTANCE, { Code: 'X', HttpStatus: 42 });
    const result = await call();

    expect(result).toMatchObject({ ok: false, error: { code: 'InternalError' } });
  });
});
