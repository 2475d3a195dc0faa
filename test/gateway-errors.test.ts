import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorFault } from '../src/emulator/types.js';
import { backupsPage, ERROR_FIELDS } from './support/backups-page.js';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';

const DENIED_DETAIL = {
  AuthAction: 'kvstore:DescribeBackups',
  AuthPrincipalDisplayName: 'gateway-reader',
  AuthPrincipalOwnerId: '1234567890',
  AuthPrincipalType: 'SubUser',
  EncodedDiagnosticMessage: 'AQEAAAAAZ2xvYmFsLWRpYWdub3N0aWM=',
  NoPermissionType: 'ImplicitDeny',
  PolicyType: 'AccountLevelIdentityBasedPolicy',
};

/** Each fault, and the typed error a client must see for it. */
const CASES: Array<[string, EmulatorFault, Record<string, unknown>]> = [
  [
    'r-denied',
    { Code: 'Forbidden.RAM', HttpStatus: 403, AccessDeniedDetail: DENIED_DETAIL },
    {
      __typename: 'AccessDeniedError',
      code: 'ACCESS_DENIED',
      retryable: false,
      upstreamCode: 'Forbidden.RAM',
      authAction: 'kvstore:DescribeBackups',
      noPermissionType: 'ImplicitDeny',
    },
  ],
  [
    'r-throttled',
    { Code: 'Throttling.User', HttpStatus: 400 },
    {
      __typename: 'ThrottledError',
      code: 'THROTTLED',
      retryable: true,
      upstreamCode: 'Throttling.User',
    },
  ],
  [
    'r-internal',
    { Code: 'InternalError', HttpStatus: 500 },
    {
      __typename: 'UpstreamError',
      code: 'UPSTREAM_UNAVAILABLE',
      retryable: true,
      upstreamCode: 'InternalError',
    },
  ],
  [
    'r-html',
    { Body: '<html><body>502 Bad Gateway</body></html>', HttpStatus: 502 },
    {
      __typename: 'UpstreamError',
      code: 'UPSTREAM_UNAVAILABLE',
      retryable: true,
      upstreamCode: null,
    },
  ],
  [
    'r-unknown-code',
    { Code: 'Some.NewCode', HttpStatus: 400 },
    {
      __typename: 'UpstreamError',
      code: 'UPSTREAM_ERROR',
      retryable: false,
      upstreamCode: 'Some.NewCode',
    },
  ],
  [
    'r-busy',
    { Code: 'IncorrectDBInstanceState', HttpStatus: 403 },
    {
      __typename: 'UpstreamError',
      code: 'UPSTREAM_UNAVAILABLE',
      retryable: true,
      upstreamCode: 'IncorrectDBInstanceState',
    },
  ],
];

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    dataset: {
      instances: {
        'r-healthy': instanceWith(40),
        ...Object.fromEntries(CASES.map(([id, fault]) => [id, instanceWith(3, { Fault: fault })])),
      },
    },
    client: { maxAttempts: 2 },
  });
});
afterAll(() => harness.close());

describe('typed errors on Instance.backups', () => {
  it.each(CASES)(
    'answers %s with its typed error in `error` and no edges',
    async (id, _fault, expected) => {
      const { page } = await backupsPage(harness, id, { first: 10 });

      expect(page.error).toMatchObject(expected);
      expect(page.edges).toEqual([]);
      expect(page.totalCount).toBeNull();
      // A failed first page: null cursors, both flags false.
      expect(page.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: null,
        endCursor: null,
      });
    },
  );

  it('answers an unknown instance with InstanceNotFoundError carrying the id and RequestId', async () => {
    const { page, calls } = await backupsPage(harness, 'r-doesnotexist', { first: 10 });

    expect(page.error).toMatchObject({
      __typename: 'InstanceNotFoundError',
      code: 'INSTANCE_NOT_FOUND',
      instanceId: 'r-doesnotexist',
      upstreamCode: 'InvalidInstanceId.NotFound',
      retryable: false,
    });
    expect(page.error!.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(calls).toBe(1);
  });

  it('keeps the given cursor and hasNextPage when a later page fails, so the client can retry it', async () => {
    const { page: first } = await backupsPage(harness, 'r-healthy', { first: 10 });
    harness.emulator.setFault('r-healthy', {
      Code: 'ServiceUnavailable',
      HttpStatus: 503,
      Times: 2,
    });
    const failed = await backupsPage(harness, 'r-healthy', {
      first: 10,
      after: first.pageInfo.endCursor,
    });

    expect(failed.page.error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect(failed.page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: first.pageInfo.endCursor,
      endCursor: first.pageInfo.endCursor,
    });

    const retried = await backupsPage(harness, 'r-healthy', {
      first: 10,
      after: first.pageInfo.endCursor,
    });
    expect(retried.page.error).toBeNull();
    expect(retried.page.edges).toHaveLength(10);
  });

  it('keeps hasPreviousPage when a page fetched with before fails', async () => {
    const { page: tail } = await backupsPage(harness, 'r-healthy', { last: 10 });
    harness.emulator.setFault('r-healthy', { Code: 'InternalError', HttpStatus: 500, Times: 2 });
    const { page } = await backupsPage(harness, 'r-healthy', {
      last: 10,
      before: tail.pageInfo.startCursor,
    });

    expect(page.error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(page.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: tail.pageInfo.startCursor,
      endCursor: tail.pageInfo.startCursor,
    });
  });

  it('answers CredentialsError when upstream rejects the signature, without quoting it', async () => {
    const wrong = await startHarness({
      dataset: { instances: { 'r-healthy': instanceWith(3) } },
      secret: 'not-the-emulator-secret',
    });
    try {
      const { page } = await backupsPage(wrong, 'r-healthy', { first: 1 });

      expect(page.error).toMatchObject({
        __typename: 'CredentialsError',
        code: 'CREDENTIALS_REJECTED',
        upstreamCode: 'SignatureDoesNotMatch',
        retryable: false,
      });
      expect(page.error!.message).not.toMatch(/LTAI|string to sign|Signature=/i);
    } finally {
      await wrong.close();
    }
  });
});

describe('typed errors on Instance.backupStorage', () => {
  const storageQuery = `query Storage($id: ID!) {
    instance(id: $id) {
      backupStorage {
        __typename
        ... on BackupStorage { fullBytes logBytes }
        ... on Error { ${ERROR_FIELDS} }
      }
    }
  }`;

  it.each(CASES)(
    'answers %s with its typed error as a union member',
    async (id, _fault, expected) => {
      const response = await harness.query<{
        instance: { backupStorage: Record<string, unknown> };
      }>(storageQuery, { id });

      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!.instance.backupStorage).toMatchObject(expected);
    },
  );

  it('answers BackupStorage with the instance storage sizes', async () => {
    const response = await harness.query<{ instance: { backupStorage: Record<string, unknown> } }>(
      storageQuery,
      { id: 'r-healthy' },
    );

    expect(response.body.data!.instance.backupStorage).toEqual({
      __typename: 'BackupStorage',
      fullBytes: 1040,
      logBytes: 5000,
    });
  });

  it('answers InstanceNotFoundError for an unknown instance', async () => {
    const response = await harness.query<{ instance: { backupStorage: Record<string, unknown> } }>(
      storageQuery,
      { id: 'r-doesnotexist' },
    );

    expect(response.body.data!.instance.backupStorage).toMatchObject({
      __typename: 'InstanceNotFoundError',
      instanceId: 'r-doesnotexist',
    });
  });

  it('answers InvalidArgumentError naming `id` for an ID upstream would refuse, with no call', async () => {
    harness.resetCalls();
    const response = await harness.query<{ instance: { backupStorage: Record<string, unknown> } }>(
      storageQuery,
      { id: '' },
    );

    expect(response.body.data!.instance.backupStorage).toMatchObject({
      __typename: 'InvalidArgumentError',
      code: 'INVALID_ARGUMENT',
      argument: 'id',
    });
    expect(harness.calls()).toBe(0);
  });
});
