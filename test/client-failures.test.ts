import { describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  CredentialsError,
  classifyUpstreamCode,
  InstanceNotFoundError,
  InvalidArgumentError,
  type TairError,
  ThrottledError,
  UpstreamError,
} from '../src/tair/errors.js';
import {
  argumentFromUpstream,
  errorFromStatus,
  errorFromUpstream,
  scrubMessage,
} from '../src/tair/failures.js';

const SECRETS = {
  accessKeyId: 'LTAI5tKeyIdForTests',
  accessKeySecret: 'SecretForTestsOnly123',
  securityToken: 'STS.TokenForTests',
};

function fromCode(
  code: string,
  message = 'upstream text',
  httpStatus: number | null = 400,
): TairError {
  return errorFromUpstream(
    {
      code,
      message,
      requestId: 'REQ-9',
      httpStatus,
      accessDeniedDetail: undefined,
      instanceId: 'r-x',
    },
    SECRETS,
  );
}

/** Every row of the reference's classification table, with the class the client builds. */
const TABLE: Array<[string, string, boolean, new (...args: never[]) => TairError]> = [
  ['InvalidStartTime.Malformed', 'INVALID_ARGUMENT', false, InvalidArgumentError],
  ['InvalidEndTime.Malformed', 'INVALID_ARGUMENT', false, InvalidArgumentError],
  ['InvalidStartTimeAndEndTime.Malformed', 'INVALID_ARGUMENT', false, InvalidArgumentError],
  ['InvalidPageSize.Malformed', 'INVALID_ARGUMENT', false, InvalidArgumentError],
  ['InvalidEngineVersion.Malformed', 'INVALID_ARGUMENT', false, InvalidArgumentError],
  ['InvalidAnything.Malformed', 'INVALID_ARGUMENT', false, InvalidArgumentError],
  ['MissingParameter', 'INVALID_ARGUMENT', false, InvalidArgumentError],
  ['InvalidParameter', 'INVALID_ARGUMENT', false, InvalidArgumentError],
  ['InvalidInstanceId.NotFound', 'INSTANCE_NOT_FOUND', false, InstanceNotFoundError],
  ['Forbidden.InstanceNotFound', 'INSTANCE_NOT_FOUND', false, InstanceNotFoundError],
  ['Forbidden.RAM', 'ACCESS_DENIED', false, AccessDeniedError],
  ['Forbidden', 'ACCESS_DENIED', false, AccessDeniedError],
  ['Forbidden.NoPermission', 'ACCESS_DENIED', false, AccessDeniedError],
  ['Throttling', 'THROTTLED', true, ThrottledError],
  ['Throttling.User', 'THROTTLED', true, ThrottledError],
  ['Throttling.Api', 'THROTTLED', true, ThrottledError],
  ['InvalidAccessKeyId.NotFound', 'CREDENTIALS_REJECTED', false, CredentialsError],
  ['InvalidAccessKeyId.Inactive', 'CREDENTIALS_REJECTED', false, CredentialsError],
  ['SignatureDoesNotMatch', 'CREDENTIALS_REJECTED', false, CredentialsError],
  ['IncompleteSignature', 'CREDENTIALS_REJECTED', false, CredentialsError],
  ['InvalidSecurityToken.Expired', 'CREDENTIALS_REJECTED', false, CredentialsError],
  ['InvalidTimeStamp.Expired', 'CREDENTIALS_REJECTED', false, CredentialsError],
  ['IllegalTimestamp', 'CREDENTIALS_REJECTED', false, CredentialsError],
  ['SignatureNonceUsed', 'UPSTREAM_UNAVAILABLE', true, UpstreamError],
  ['IncorrectDBInstanceState', 'UPSTREAM_UNAVAILABLE', true, UpstreamError],
  ['InternalError', 'UPSTREAM_UNAVAILABLE', true, UpstreamError],
  ['ServiceUnavailable', 'UPSTREAM_UNAVAILABLE', true, UpstreamError],
  ['InvalidAction.NotFound', 'UPSTREAM_ERROR', false, UpstreamError],
  ['SomethingNew', 'UPSTREAM_ERROR', false, UpstreamError],
];

describe('errorFromUpstream', () => {
  it.each(TABLE)('maps %s to %s (retryable %s)', (code, errorCode, retryable, ErrorClass) => {
    const error = fromCode(code);

    expect(classifyUpstreamCode(code, 400)).toEqual({ code: errorCode, retryable });
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.code).toBe(errorCode);
    expect(error.retryable).toBe(retryable);
    expect([error.upstreamCode, error.requestId, error.httpStatus]).toEqual([code, 'REQ-9', 400]);
  });

  it('maps an unknown code on an HTTP 5xx to UPSTREAM_UNAVAILABLE and keeps the code', () => {
    const error = fromCode('SomethingNew', 'boom', 502);

    expect([error.code, error.retryable, error.upstreamCode, error.httpStatus]).toEqual([
      'UPSTREAM_UNAVAILABLE',
      true,
      'SomethingNew',
      502,
    ]);
  });

  it('keeps a known code ahead of the status: Throttling on 503 stays THROTTLED', () => {
    expect(fromCode('Throttling.User', 'slow down', 503).code).toBe('THROTTLED');
  });

  it('carries the requested instance id on INSTANCE_NOT_FOUND', () => {
    const error = fromCode('InvalidInstanceId.NotFound') as InstanceNotFoundError;

    expect(error.instanceId).toBe('r-x');
    expect(error.message).toBe('instance r-x does not exist (InvalidInstanceId.NotFound)');
  });

  it('carries AccessDeniedDetail from the body on ACCESS_DENIED', () => {
    const error = errorFromUpstream(
      {
        code: 'Forbidden.RAM',
        message: 'User not authorized to operate on the specified resource.',
        requestId: 'REQ-9',
        httpStatus: 403,
        accessDeniedDetail: {
          AuthAction: 'kvstore:DescribeBackups',
          NoPermissionType: 'ImplicitDeny',
          PolicyType: 'AccountLevelIdentityBasedPolicy',
          EncodedDiagnosticMessage: 'AQEAAAAA',
          AuthPrincipalDisplayName: 'someone',
        },
        instanceId: 'r-x',
      },
      SECRETS,
    ) as AccessDeniedError;

    expect(error.detail).toStrictEqual({
      authAction: 'kvstore:DescribeBackups',
      noPermissionType: 'ImplicitDeny',
      policyType: 'AccountLevelIdentityBasedPolicy',
      encodedDiagnosticMessage: 'AQEAAAAA',
    });
  });

  it("removes the call's secrets from AccessDeniedDetail too, without cutting a field", () => {
    const diagnostic = `AQE${'A'.repeat(400)}`;
    const error = errorFromUpstream(
      {
        code: 'Forbidden.RAM',
        message: `denied for ${SECRETS.accessKeyId}`,
        requestId: 'REQ-9',
        httpStatus: 403,
        accessDeniedDetail: {
          AuthAction: `kvstore:DescribeBackups ${SECRETS.accessKeyId}`,
          NoPermissionType: SECRETS.accessKeySecret,
          PolicyType: `token ${SECRETS.securityToken}`,
          EncodedDiagnosticMessage: diagnostic,
        },
        instanceId: 'r-x',
      },
      SECRETS,
    ) as AccessDeniedError;

    expect(error.message).toBe(
      'access to DescribeBackups on instance r-x is denied (Forbidden.RAM): denied for [redacted]',
    );
    expect(error.detail).toStrictEqual({
      authAction: 'kvstore:DescribeBackups [redacted]',
      noPermissionType: '[redacted]',
      policyType: 'token [redacted]',
      encodedDiagnosticMessage: diagnostic,
    });
  });

  it('never passes on the Message of a credential-class error', () => {
    const error = fromCode(
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3D${SECRETS.accessKeyId}`,
    );

    expect(error.message).toBe(
      "the upstream rejected the gateway's credentials (SignatureDoesNotMatch)",
    );
  });

  it('derives the argument of an upstream INVALID_ARGUMENT from the code or the message', () => {
    expect((fromCode('InvalidStartTime.Malformed') as InvalidArgumentError).argument).toBe(
      'startTime',
    );
    expect(
      (fromCode('InvalidStartTimeAndEndTime.Malformed') as InvalidArgumentError).argument,
    ).toBe('endTime');
    const missing = fromCode(
      'MissingParameter',
      'The input parameter "InstanceId" that is mandatory for processing this request is not supplied.',
    ) as InvalidArgumentError;
    expect(missing.argument).toBe('instanceId');
    expect(missing.message).toMatch(
      /^the upstream refused argument instanceId \(MissingParameter\): /,
    );
  });
});

describe('argumentFromUpstream', () => {
  it.each([
    ['InvalidEndTime.Malformed', '', 'endTime'],
    ['InvalidPageSize.Malformed', '', 'pageSize'],
    ['InvalidParameter', 'The specified parameter "PageNumber" is not valid.', 'pageNumber'],
    ['InvalidParameter', 'The parameter BackupJobId is invalid', 'backupJobId'],
    ['InvalidParameter', 'Something is off.', 'request'],
    ['InvalidEngineVersion.Malformed', 'The engine version is not valid', 'request'],
  ])('maps %s with %j to %s', (code, message, argument) => {
    expect(argumentFromUpstream(code, message)).toBe(argument);
  });
});

describe('scrubMessage', () => {
  it('removes the key id, secret and token wherever they occur', () => {
    const scrubbed = scrubMessage(
      `key ${SECRETS.accessKeyId} secret ${SECRETS.accessKeySecret} token ${SECRETS.securityToken}`,
      SECRETS,
    );

    expect(scrubbed).toBe('key [redacted] secret [redacted] token [redacted]');
  });

  it('cuts everything after "string to sign"', () => {
    expect(scrubMessage('Mismatch. Server string to sign is: POST&%2F&X', SECRETS)).toBe(
      'Mismatch. Server [redacted]',
    );
  });

  it('removes URL-like text carrying a Signature', () => {
    expect(
      scrubMessage('Failed, URL: http://h/?Action=X&Signature=abc%3D&Format=JSON then more', {}),
    ).toBe('Failed, URL: [redacted] then more');
  });

  it('returns an empty text for a Message that is not a string', () => {
    expect(scrubMessage({ nested: true }, SECRETS)).toBe('');
  });
});

describe('errorFromStatus', () => {
  it('maps a 5xx without Code to UPSTREAM_UNAVAILABLE and others to UPSTREAM_ERROR', () => {
    const unavailable = errorFromStatus(500, 'REQ-1');
    const other = errorFromStatus(404, null);

    expect([
      unavailable.code,
      unavailable.retryable,
      unavailable.httpStatus,
      unavailable.requestId,
    ]).toEqual(['UPSTREAM_UNAVAILABLE', true, 500, 'REQ-1']);
    expect([other.code, other.retryable, other.httpStatus]).toEqual(['UPSTREAM_ERROR', false, 404]);
  });
});
