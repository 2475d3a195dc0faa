import { createRequire } from 'node:module';
import RPCClient from '@alicloud/pop-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INSTANCE_IDS } from '../src/emulator/demo-data.js';
import { type RunningEmulator, startEmulator } from '../src/emulator/server.js';
import {
  canonicalQuery,
  formatTimestamp,
  sha256Hex,
  signV1Params,
  signV3,
  v3CanonicalRequest,
  v3StringToSign,
} from '../src/emulator/signature.js';

const require = createRequire(import.meta.url);
const kvstore = require('@alicloud/r-kvstore20150101');
const { Config } = require('@alicloud/openapi-client');

const NOVEMBER = { StartTime: '2026-11-01T00:00Z', EndTime: '2026-11-30T00:00Z' };
const UUID_UPPER = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

interface PopError extends Error {
  code: string;
  data: Record<string, unknown>;
  entry: { response: { statusCode: number } };
}

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.close();
});

function popClient(overrides: Partial<RPCClient.Config> = {}): RPCClient {
  return new RPCClient({
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    endpoint: emulator.url,
    apiVersion: '2015-01-01',
    ...overrides,
  });
}

function describeBackups(params: object, method: 'GET' | 'POST' = 'GET', client = popClient()) {
  return client.request<Record<string, unknown>>('DescribeBackups', params, { method });
}

async function popFailure(promise: Promise<unknown>): Promise<PopError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught as PopError,
  );
  if (!error) {
    throw new Error('expected the call to fail');
  }

  return error;
}

function sdkClient(secret = emulator.accessKeySecret) {
  const config = new Config({
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: secret,
    endpoint: `127.0.0.1:${emulator.port}`,
    protocol: 'http',
  });

  return new kvstore.default(config);
}

const rpcParams = (params: Record<string, string> = {}) => ({
  Action: 'DescribeBackups',
  Version: '2015-01-01',
  InstanceId: DEMO_INSTANCE_IDS.standard,
  ...NOVEMBER,
  ...params,
});

/** A raw signature-1.0 GET, as pop-core would send it. */
function signedUrl(
  params: Record<string, string> = {},
  options: { secret?: string; now?: Date } = {},
) {
  const keys = {
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: options.secret ?? emulator.accessKeySecret,
  };

  return `${emulator.url}/?${canonicalQuery(signV1Params('GET', rpcParams(params), keys, options.now))}`;
}

/** A raw V3 request, signed as the reference describes. */
function v3Request(
  options: { date?: Date; nonce?: string; body?: string; claimedHash?: string } = {},
) {
  const query = { InstanceId: DEMO_INSTANCE_IDS.standard, ...NOVEMBER };
  const body = options.body ?? '';
  const headers: Record<string, string> = {
    host: `127.0.0.1:${emulator.port}`,
    'x-acs-action': 'DescribeBackups',
    'x-acs-version': '2015-01-01',
    'x-acs-date': formatTimestamp(options.date ?? new Date()),
    'x-acs-signature-nonce': options.nonce ?? crypto.randomUUID(),
    'x-acs-content-sha256': options.claimedHash ?? sha256Hex(body),
  };
  const signedHeaders = Object.keys(headers).sort();
  const canonical = v3CanonicalRequest({
    method: 'POST',
    path: '/',
    query,
    headers,
    signedHeaders,
    payloadHash: sha256Hex(body),
  });
  const signature = signV3(v3StringToSign(canonical), emulator.accessKeySecret);
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${emulator.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;

  return fetch(`${emulator.url}/?${canonicalQuery(query)}`, {
    method: 'POST',
    headers,
    body: body || undefined,
  });
}

describe('emulator with @alicloud/pop-core (signature 1.0)', () => {
  it('answers a GET with the standard instance of November, newest first', async () => {
    const body = await describeBackups({ InstanceId: DEMO_INSTANCE_IDS.standard, ...NOVEMBER });
    const items = (body.Backups as { Backup: Record<string, unknown>[] }).Backup;

    expect(body).toMatchObject({
      PageNumber: 1,
      PageSize: 30,
      TotalCount: 36,
      LogStorageSize: 734003200,
    });
    expect(items).toHaveLength(30);
    expect(items[0]).toMatchObject({
      BackupStartTime: '2026-11-29T18:10:17Z',
      BackupId: 2300000034,
    });
    expect(body.RequestId).toMatch(UUID_UPPER);
  });

  it('answers a POST with a form body exactly like the GET', async () => {
    const params = { InstanceId: DEMO_INSTANCE_IDS.standard, ...NOVEMBER, PageNumber: 2 };
    const [viaGet, viaPost] = await Promise.all([
      describeBackups(params),
      describeBackups(params, 'POST'),
    ]);

    expect({ ...viaPost, RequestId: '' }).toEqual({ ...viaGet, RequestId: '' });
    expect((viaPost.Backups as { Backup: unknown[] }).Backup).toHaveLength(6);
    expect(emulator.requests.at(-1)?.signatureVersion).toBe('1.0');
  });

  it('rejects a wrong secret with SignatureDoesNotMatch quoting the server string to sign', async () => {
    const error = await popFailure(
      describeBackups(
        { InstanceId: DEMO_INSTANCE_IDS.standard, ...NOVEMBER },
        'GET',
        popClient({ accessKeySecret: 'wrong' }),
      ),
    );

    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.entry.response.statusCode).toBe(400);
    expect(String(error.data.Message)).toContain(
      'Specified signature is not matched with our calculation. server string to sign is:GET&%2F&AccessKeyId%3DLTAIdemoEmulatorKey%26Action%3DDescribeBackups',
    );
  });

  it('quotes the POST method in the string to sign of a POST', async () => {
    const error = await popFailure(
      describeBackups(
        { InstanceId: 'x', ...NOVEMBER },
        'POST',
        popClient({ accessKeySecret: 'wrong' }),
      ),
    );

    expect(String(error.data.Message)).toContain(
      'server string to sign is:POST&%2F&AccessKeyId%3D',
    );
  });

  it('rejects an unknown AccessKeyId with InvalidAccessKeyId.NotFound (404)', async () => {
    const error = await popFailure(
      describeBackups(
        { InstanceId: 'x', ...NOVEMBER },
        'GET',
        popClient({ accessKeyId: 'LTAIunknown' }),
      ),
    );

    expect(error.code).toBe('InvalidAccessKeyId.NotFound');
    expect(error.entry.response.statusCode).toBe(404);
  });

  it('rejects an unknown action with InvalidAction.NotFound (404)', async () => {
    const error = await popFailure(popClient().request('DescribeInstances', {}, { method: 'GET' }));

    expect(error.code).toBe('InvalidAction.NotFound');
    expect(error.entry.response.statusCode).toBe(404);
  });

  it('rejects an unsupported Version with InvalidVersion (400)', async () => {
    const error = await popFailure(
      describeBackups(
        { InstanceId: 'x', ...NOVEMBER },
        'GET',
        popClient({ apiVersion: '2014-01-01' }),
      ),
    );

    expect(error.code).toBe('InvalidVersion');
    expect(error.entry.response.statusCode).toBe(400);
  });
});

describe('emulator with @alicloud/r-kvstore20150101 (ACS3-HMAC-SHA256)', () => {
  it('answers the generated SDK, AOF backups included with NeedAof=1', async () => {
    const request = new kvstore.DescribeBackupsRequest({
      instanceId: DEMO_INSTANCE_IDS.standard,
      startTime: NOVEMBER.StartTime,
      endTime: NOVEMBER.EndTime,
      needAof: '1',
      pageSize: 100,
    });
    const response = await sdkClient().describeBackups(request);

    expect(response.statusCode).toBe(200);
    expect(response.body.totalCount).toBe(60);
    expect(response.body.backups.backup).toHaveLength(60);
    expect(response.body.backups.backup[0]).toMatchObject({
      backupType: 'IncrementalBackup',
      backupStartTime: '2026-11-29T23:30:17Z',
    });
    expect(emulator.requests.at(-1)).toMatchObject({
      signatureVersion: 'ACS3-HMAC-SHA256',
      action: 'DescribeBackups',
      pageSize: 100,
    });
  });

  it('accepts the SDK canonical query when a value holds "*" and answers the real error', async () => {
    const request = new kvstore.DescribeBackupsRequest({
      instanceId: 'r-bp1zxszhcgatnx****',
      startTime: NOVEMBER.StartTime,
      endTime: NOVEMBER.EndTime,
    });
    const error = await sdkClient()
      .describeBackups(request)
      .catch((caught: { code: string; statusCode: number }) => caught);

    expect(error).toMatchObject({ code: 'InvalidInstanceId.NotFound', statusCode: 404 });
  });

  it('rejects the SDK signing with a wrong secret with SignatureDoesNotMatch', async () => {
    const request = new kvstore.DescribeBackupsRequest({
      instanceId: DEMO_INSTANCE_IDS.standard,
      startTime: NOVEMBER.StartTime,
      endTime: NOVEMBER.EndTime,
    });
    const error = await sdkClient('wrong')
      .describeBackups(request)
      .catch((caught: { code: string }) => caught);

    expect(error).toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 400 });
  });
});

describe('emulator signature checks on raw requests', () => {
  it('refuses a reused SignatureNonce with SignatureNonceUsed', async () => {
    const url = signedUrl();
    const first = await fetch(url);
    const second = await fetch(url);

    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect((await second.json()).Code).toBe('SignatureNonceUsed');
  });

  it('refuses a Timestamp 16 minutes off and accepts one 14 minutes off', async () => {
    const late = await fetch(signedUrl({}, { now: new Date(Date.now() - 16 * 60_000) }));
    const early = await fetch(signedUrl({}, { now: new Date(Date.now() + 16 * 60_000) }));
    const close = await fetch(signedUrl({}, { now: new Date(Date.now() - 14 * 60_000) }));

    expect([late.status, (await late.json()).Code]).toEqual([400, 'InvalidTimeStamp.Expired']);
    expect((await early.json()).Code).toBe('InvalidTimeStamp.Expired');
    expect(close.status).toBe(200);
  });

  it('refuses an unreadable Timestamp with IllegalTimestamp', async () => {
    const response = await fetch(signedUrl({ Timestamp: '2026-11-30 10:00' }));

    expect((await response.json()).Code).toBe('IllegalTimestamp');
  });

  it('refuses a call without Signature with MissingParameter', async () => {
    const url = new URL(signedUrl());
    url.searchParams.delete('Signature');
    const response = await fetch(url);

    expect([response.status, (await response.json()).Code]).toEqual([400, 'MissingParameter']);
  });

  it('accepts a hand-signed V3 request and refuses its replay with SignatureNonceUsed', async () => {
    const nonce = crypto.randomUUID();
    const first = await v3Request({ nonce });
    const second = await v3Request({ nonce });

    expect(first.status).toBe(200);
    expect((await second.json()).Code).toBe('SignatureNonceUsed');
  });

  it('refuses an x-acs-date 16 minutes off with InvalidTimeStamp.Expired', async () => {
    const response = await v3Request({ date: new Date(Date.now() + 16 * 60_000) });

    expect([response.status, (await response.json()).Code]).toEqual([
      400,
      'InvalidTimeStamp.Expired',
    ]);
  });

  it('refuses an x-acs-content-sha256 that is not the hash of the body', async () => {
    const response = await v3Request({ body: 'a=1', claimedHash: sha256Hex('') });

    expect((await response.json()).Code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a missing or unparsable Authorization with IncompleteSignature', async () => {
    const headers = { 'x-acs-action': 'DescribeBackups', 'x-acs-version': '2015-01-01' };
    const missing = await fetch(`${emulator.url}/?InstanceId=x`, { method: 'POST', headers });
    const garbled = await fetch(`${emulator.url}/?InstanceId=x`, {
      method: 'POST',
      headers: { ...headers, authorization: 'ACS3-HMAC-SHA256 nonsense' },
    });

    expect([missing.status, (await missing.json()).Code]).toEqual([400, 'IncompleteSignature']);
    expect([garbled.status, (await garbled.json()).Code]).toEqual([400, 'IncompleteSignature']);
  });
});

describe('emulator error bodies', () => {
  it('carries exactly RequestId, HostId, Code, Message and Recommend as JSON', async () => {
    const response = await fetch(signedUrl({ InstanceId: 'r-nosuchinstance' }));
    const body = await response.json();

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(Object.keys(body)).toEqual(['RequestId', 'HostId', 'Code', 'Message', 'Recommend']);
    expect(body.Code).toBe('InvalidInstanceId.NotFound');
    expect(body.RequestId).toMatch(UUID_UPPER);
  });

  it('answers Forbidden.RAM (403) with an AccessDeniedDetail for the denied demo instance', async () => {
    const error = await popFailure(
      describeBackups({ InstanceId: DEMO_INSTANCE_IDS.denied, ...NOVEMBER }),
    );

    expect(error.code).toBe('Forbidden.RAM');
    expect(error.entry.response.statusCode).toBe(403);
    expect(Object.keys(error.data)).toEqual([
      'RequestId',
      'HostId',
      'Code',
      'Message',
      'Recommend',
      'AccessDeniedDetail',
    ]);
    expect(error.data.AccessDeniedDetail).toMatchObject({
      AuthAction: 'kvstore:DescribeBackups',
      NoPermissionType: 'ImplicitDeny',
    });
  });

  it.each([
    [
      'a malformed form body',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '%%%=&&=%zz',
      },
      400,
      'MissingParameter',
    ],
    [
      'a body above 64 KB',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a'.repeat(100_000),
      },
      413,
      'RequestEntityTooLarge',
    ],
    ['a PUT', { method: 'PUT' }, 405, 'UnsupportedHTTPMethod'],
    ['an unknown path', { method: 'GET', path: '/v1/backups' }, 404, 'InvalidApi.NotFound'],
  ] as const)('answers %s with a JSON error body', async (_title, init, status, code) => {
    const { path, ...request } = init as RequestInit & { path?: string };
    const response = await fetch(`${emulator.url}${path ?? '/'}`, request);

    expect(response.status).toBe(status);
    expect((await response.json()).Code).toBe(code);
  });
});

describe('emulator request log', () => {
  it('records one entry per request with parameters, paging after defaults and the answer', async () => {
    emulator.clearRequests();
    await describeBackups({ InstanceId: DEMO_INSTANCE_IDS.standard, ...NOVEMBER, PageNumber: 2 });
    await popFailure(
      describeBackups({ InstanceId: 'r-nosuchinstance', ...NOVEMBER, PageSize: 50 }),
    );

    expect(emulator.requests).toHaveLength(2);
    const [ok, failed] = emulator.requests;
    expect(ok).toMatchObject({
      method: 'GET',
      path: '/',
      signatureVersion: '1.0',
      action: 'DescribeBackups',
      instanceId: DEMO_INSTANCE_IDS.standard,
      pageSize: 30,
      pageNumber: 2,
      status: 200,
      code: null,
    });
    expect(ok?.params).toMatchObject({
      InstanceId: DEMO_INSTANCE_IDS.standard,
      PageNumber: '2',
      AccessKeyId: emulator.accessKeyId,
    });
    expect(ok?.params).not.toHaveProperty('Signature');
    expect(ok?.time).toBeInstanceOf(Date);
    expect(failed).toMatchObject({
      pageSize: 50,
      pageNumber: 1,
      status: 404,
      code: 'InvalidInstanceId.NotFound',
    });
  });
});
