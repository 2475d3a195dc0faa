import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDemoDataset, DEMO_INSTANCE_IDS } from '../src/emulator/demo-data.js';
import { createTairClient } from '../src/tair/client.js';
import {
  AccessDeniedError,
  CredentialsError,
  InstanceNotFoundError,
  UpstreamError,
} from '../src/tair/errors.js';
import {
  clientHarness,
  expectNoSecrets,
  failure,
  WIDE_WINDOW,
} from './fixtures/client-emulator.js';
import { capturingLogger } from './fixtures/client-logger.js';

const FAULTY = DEMO_INSTANCE_IDS.empty;
const INPUT = { instanceId: FAULTY, ...WIDE_WINDOW };

let harness: Awaited<ReturnType<typeof clientHarness>>;

beforeAll(async () => {
  harness = await clientHarness(createDemoDataset());
});

afterAll(async () => {
  await harness.stop();
});

beforeEach(() => {
  harness.emulator.setFault(FAULTY, null);
  harness.emulator.clearRequests();
});

describe('TairClient.describeBackups failures against the emulator', () => {
  it('turns a wrong secret into a CredentialsError that holds no key, secret or signature', async () => {
    const capture = capturingLogger();
    const client = createTairClient({
      endpoint: harness.emulator.url,
      credentials: {
        kind: 'static',
        accessKeyId: harness.emulator.accessKeyId,
        accessKeySecret: 'wrong-secret',
      },
      logger: capture.logger,
    });
    const error = await failure(client.describeBackups(INPUT));
    client.close();

    expect(error).toBeInstanceOf(CredentialsError);
    expect([error.code, error.upstreamCode, error.retryable]).toEqual([
      'CREDENTIALS_REJECTED',
      'SignatureDoesNotMatch',
      false,
    ]);
    expect(error.message).toBe(
      "the upstream rejected the gateway's credentials (SignatureDoesNotMatch)",
    );
    expect(error.requestId).toEqual(expect.any(String));
    expectNoSecrets(error, harness.emulator, capture.text());
    expect(JSON.stringify(error)).not.toContain('wrong-secret');
    expect(harness.emulator.requests).toHaveLength(1);
  });

  it('turns an unknown key id into a CredentialsError', async () => {
    const client = createTairClient({
      endpoint: harness.emulator.url,
      credentials: { kind: 'static', accessKeyId: 'LTAIunknownKey', accessKeySecret: 'whatever' },
    });
    const error = await failure(client.describeBackups(INPUT));
    client.close();

    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.upstreamCode).toMatch(/^InvalidAccessKeyId\./);
    expect(error.message).not.toContain('LTAIunknownKey');
  });

  it('turns a failing credentials provider into a CredentialsError without calling upstream', async () => {
    const client = createTairClient({
      endpoint: harness.emulator.url,
      credentials: {
        getCredentials: async () => {
          throw new CredentialsError('no usable credentials');
        },
      },
    });
    const error = await failure(client.describeBackups(INPUT));
    client.close();

    expect(error).toBeInstanceOf(CredentialsError);
    expect(harness.emulator.requests).toHaveLength(0);
  });

  it('returns an InstanceNotFoundError with the RequestId for an unknown instance', async () => {
    const error = await failure(
      harness.client().describeBackups({ ...INPUT, instanceId: 'r-nosuchinstance01' }),
    );

    expect(error).toBeInstanceOf(InstanceNotFoundError);
    expect((error as InstanceNotFoundError).instanceId).toBe('r-nosuchinstance01');
    expect(error.requestId).toMatch(/\S/);
    expect(error.upstreamCode).toBe('InvalidInstanceId.NotFound');
    expect(harness.callsFor('r-nosuchinstance01')).toHaveLength(1);
  });

  it('returns an AccessDeniedError with the AccessDeniedDetail for Forbidden.RAM', async () => {
    const error = await failure(
      harness.client().describeBackups({ ...INPUT, instanceId: DEMO_INSTANCE_IDS.denied }),
    );

    expect(error).toBeInstanceOf(AccessDeniedError);
    expect([error.upstreamCode, error.httpStatus]).toEqual(['Forbidden.RAM', 403]);
    expect((error as AccessDeniedError).detail).toStrictEqual({
      authAction: 'kvstore:DescribeBackups',
      noPermissionType: 'ImplicitDeny',
      policyType: 'AccountLevelIdentityBasedPolicy',
      encodedDiagnosticMessage: 'AQEAAAAAaGVsbG8tZGVtby1kaWFnbm9zdGljLW1lc3NhZ2U=',
    });
    expect(harness.callsFor(DEMO_INSTANCE_IDS.denied)).toHaveLength(1);
  });

  it.each([
    ['InvalidStartTime.Malformed', 400, 'INVALID_ARGUMENT'],
    ['InvalidEndTime.Malformed', 400, 'INVALID_ARGUMENT'],
    ['InvalidEngineVersion.Malformed', 400, 'INVALID_ARGUMENT'],
    ['InvalidStartTimeAndEndTime.Malformed', 400, 'INVALID_ARGUMENT'],
    ['InvalidPageSize.Malformed', 400, 'INVALID_ARGUMENT'],
    ['MissingParameter', 400, 'INVALID_ARGUMENT'],
    ['InvalidParameter', 400, 'INVALID_ARGUMENT'],
    ['IncompleteSignature', 400, 'CREDENTIALS_REJECTED'],
    ['IllegalTimestamp', 400, 'CREDENTIALS_REJECTED'],
    ['InvalidInstanceId.NotFound', 404, 'INSTANCE_NOT_FOUND'],
    ['Forbidden.InstanceNotFound', 404, 'INSTANCE_NOT_FOUND'],
    ['Forbidden.RAM', 403, 'ACCESS_DENIED'],
    ['Forbidden', 403, 'ACCESS_DENIED'],
    ['InvalidAccessKeyId.NotFound', 404, 'CREDENTIALS_REJECTED'],
    ['SignatureDoesNotMatch', 400, 'CREDENTIALS_REJECTED'],
    ['InvalidTimeStamp.Expired', 400, 'CREDENTIALS_REJECTED'],
    ['InvalidAction.NotFound', 404, 'UPSTREAM_ERROR'],
  ])(
    'maps %s (HTTP %i) to %s and calls once, without retrying',
    async (code, status, errorCode) => {
      harness.emulator.setFault(FAULTY, { Code: code, HttpStatus: status });
      const error = await failure(harness.client().describeBackups(INPUT));

      expect([error.code, error.upstreamCode, error.httpStatus, error.retryable]).toEqual([
        errorCode,
        code,
        status,
        false,
      ]);
      expect(error.requestId).toMatch(/\S/);
      expect(harness.callsFor(FAULTY)).toHaveLength(1);
    },
  );

  it.each([
    ['Throttling', 400, 'THROTTLED'],
    ['Throttling.User', 403, 'THROTTLED'],
    ['Throttling.Api', 400, 'THROTTLED'],
    ['SignatureNonceUsed', 400, 'UPSTREAM_UNAVAILABLE'],
    ['IncorrectDBInstanceState', 403, 'UPSTREAM_UNAVAILABLE'],
    ['InternalError', 500, 'UPSTREAM_UNAVAILABLE'],
    ['ServiceUnavailable', 503, 'UPSTREAM_UNAVAILABLE'],
    ['SomethingUnlisted', 502, 'UPSTREAM_UNAVAILABLE'],
  ])(
    'maps %s (HTTP %i) to a retryable %s after maxAttempts calls',
    async (code, status, errorCode) => {
      harness.emulator.setFault(FAULTY, { Code: code, HttpStatus: status });
      const error = await failure(harness.client({ maxAttempts: 3 }).describeBackups(INPUT));

      expect([error.code, error.upstreamCode, error.httpStatus, error.retryable]).toEqual([
        errorCode,
        code,
        status,
        true,
      ]);
      expect(harness.callsFor(FAULTY)).toHaveLength(3);
    },
  );

  it('scrubs the key id and the string to sign from a passed-on upstream Message', async () => {
    const keyId = harness.emulator.accessKeyId;
    harness.emulator.setFault(FAULTY, {
      Code: 'InvalidParameter',
      Message: `The parameter PageSize is odd for ${keyId}; string to sign: POST&%2F&AccessKeyId%3D${keyId}`,
    });
    const error = await failure(harness.client().describeBackups(INPUT));

    expect(error.message).toBe(
      'the upstream refused argument pageSize (InvalidParameter): The parameter PageSize is odd for [redacted]; [redacted]',
    );
    expectNoSecrets(error, harness.emulator);
  });

  it('maps a non-JSON 502 to UPSTREAM_UNAVAILABLE with the HTTP status', async () => {
    harness.emulator.setFault(FAULTY, {
      Body: '<html><body>502 Bad Gateway</body></html>',
      HttpStatus: 502,
    });
    const error = await failure(harness.client({ maxAttempts: 1 }).describeBackups(INPUT));

    expect(error).toBeInstanceOf(UpstreamError);
    expect([error.code, error.httpStatus, error.retryable]).toEqual([
      'UPSTREAM_UNAVAILABLE',
      502,
      true,
    ]);
    expect(error.message).toBe('the upstream answered with a body that is not JSON (HTTP 502)');
  });

  it('maps a refused connection to UPSTREAM_UNAVAILABLE', async () => {
    const client = createTairClient({
      endpoint: 'http://127.0.0.1:1',
      credentials: {
        kind: 'static',
        accessKeyId: 'LTAIrefused',
        accessKeySecret: 'refused-secret',
      },
      maxAttempts: 1,
    });
    const error = await failure(client.describeBackups(INPUT));
    client.close();

    expect(error.message).toBe(
      'the upstream could not be reached or dropped the connection (ECONNREFUSED)',
    );
  });

  it('maps a body without Code but of the wrong shape to UPSTREAM_UNAVAILABLE naming the fault', async () => {
    harness.emulator.setFault(FAULTY, {
      Body: '{"RequestId":"R-shape","TotalCount":"many"}',
      HttpStatus: 200,
    });
    const error = await failure(harness.client({ maxAttempts: 1 }).describeBackups(INPUT));

    expect([error.code, error.requestId, error.httpStatus]).toEqual([
      'UPSTREAM_UNAVAILABLE',
      'R-shape',
      200,
    ]);
    expect(error.message).toBe(
      'the upstream answered with a body that is not a DescribeBackups page: TotalCount is not a non-negative integer',
    );
  });

  it('maps an HTTP 500 body without Code to UPSTREAM_UNAVAILABLE', async () => {
    harness.emulator.setFault(FAULTY, {
      Body: '{"RequestId":"R-500","Message":"oops"}',
      HttpStatus: 500,
    });
    const error = await failure(harness.client({ maxAttempts: 1 }).describeBackups(INPUT));

    expect([error.code, error.requestId, error.httpStatus]).toEqual([
      'UPSTREAM_UNAVAILABLE',
      'R-500',
      500,
    ]);
    expect(error.message).toBe('the upstream answered HTTP 500 without an error code');
  });

  it('maps an HTTP 404 body without Code to UPSTREAM_ERROR, not retried', async () => {
    harness.emulator.setFault(FAULTY, { Body: '{"RequestId":"R-404"}', HttpStatus: 404 });
    const error = await failure(harness.client().describeBackups(INPUT));

    expect([error.code, error.retryable, error.httpStatus]).toEqual(['UPSTREAM_ERROR', false, 404]);
    expect(harness.callsFor(FAULTY)).toHaveLength(1);
  });

  it('refuses invalid input before any call', async () => {
    const error = await failure(harness.client().describeBackups({ ...INPUT, pageSize: 25 as 30 }));

    expect([error.code, (error as { argument?: string }).argument]).toEqual([
      'INVALID_ARGUMENT',
      'pageSize',
    ]);
    expect(harness.emulator.requests).toHaveLength(0);
  });
});
