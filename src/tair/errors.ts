/** The error codes a GraphQL client switches on. */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'INSTANCE_NOT_FOUND',
  'ACCESS_DENIED',
  'THROTTLED',
  'CREDENTIALS_REJECTED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Fields every upstream failure may carry; all are safe to show a client. */
export interface UpstreamFacts {
  upstreamCode?: string | null;
  requestId?: string | null;
  httpStatus?: number | null;
}

/**
 * The root of the client's error tree. Messages and properties never hold credentials, signatures
 * or signed URLs: every instance is built from fields the client has checked, never by wrapping a
 * pop-core or httpx error.
 */
export abstract class TairError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly retryable: boolean;
  readonly upstreamCode: string | null;
  readonly requestId: string | null;
  readonly httpStatus: number | null;

  constructor(message: string, facts: UpstreamFacts = {}) {
    super(message);
    this.name = new.target.name;
    this.upstreamCode = facts.upstreamCode ?? null;
    this.requestId = facts.requestId ?? null;
    this.httpStatus = facts.httpStatus ?? null;
  }
}

export class InvalidArgumentError extends TairError {
  readonly code = 'INVALID_ARGUMENT';
  readonly retryable = false;

  /** The argument at fault, in the words of whoever passed it (`startTime`, `after`, …). */
  constructor(
    readonly argument: string,
    message: string,
    facts: UpstreamFacts = {},
  ) {
    super(message, facts);
  }
}

export class InstanceNotFoundError extends TairError {
  readonly code = 'INSTANCE_NOT_FOUND';
  readonly retryable = false;

  constructor(
    readonly instanceId: string,
    message: string,
    facts: UpstreamFacts = {},
  ) {
    super(message, facts);
  }
}

export interface AccessDeniedDetail {
  authAction: string | null;
  noPermissionType: string | null;
  policyType: string | null;
  encodedDiagnosticMessage: string | null;
}

export class AccessDeniedError extends TairError {
  readonly code = 'ACCESS_DENIED';
  readonly retryable = false;

  constructor(
    message: string,
    facts: UpstreamFacts = {},
    readonly detail: AccessDeniedDetail | null = null,
  ) {
    super(message, facts);
  }
}

export class ThrottledError extends TairError {
  readonly code = 'THROTTLED';
  readonly retryable = true;
}

export class CredentialsError extends TairError {
  readonly code = 'CREDENTIALS_REJECTED';
  readonly retryable = false;
}

/** UPSTREAM_UNAVAILABLE (retryable) or UPSTREAM_ERROR (an unlisted code, not retryable). */
export class UpstreamError extends TairError {
  readonly code: 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_ERROR';
  readonly retryable: boolean;

  constructor(
    code: 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_ERROR',
    message: string,
    facts: UpstreamFacts = {},
  ) {
    super(message, facts);
    this.code = code;
    this.retryable = code === 'UPSTREAM_UNAVAILABLE';
  }
}

export interface Classification {
  code: ErrorCode;
  retryable: boolean;
}

const INVALID_ARGUMENT_CODES = new Set(['MissingParameter', 'InvalidParameter']);
const NOT_FOUND_CODES = new Set(['InvalidInstanceId.NotFound', 'Forbidden.InstanceNotFound']);
const CREDENTIAL_CODES = new Set([
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidTimeStamp.Expired',
  'IllegalTimestamp',
]);
const UNAVAILABLE_CODES = new Set([
  'SignatureNonceUsed',
  'IncorrectDBInstanceState',
  'InternalError',
  'ServiceUnavailable',
]);

/**
 * Classifies an upstream `Code` exactly as the table in the project's reference does. Codes are
 * matched first; the HTTP status only decides when the code is unknown and the status is 5xx.
 */
export function classifyUpstreamCode(
  code: string,
  httpStatus: number | null = null,
): Classification {
  if (code.endsWith('.Malformed') || INVALID_ARGUMENT_CODES.has(code)) {
    return { code: 'INVALID_ARGUMENT', retryable: false };
  }
  if (NOT_FOUND_CODES.has(code)) {
    return { code: 'INSTANCE_NOT_FOUND', retryable: false };
  }
  if (code === 'Forbidden' || code.startsWith('Forbidden.')) {
    return { code: 'ACCESS_DENIED', retryable: false };
  }
  if (code === 'Throttling' || code.startsWith('Throttling.')) {
    return { code: 'THROTTLED', retryable: true };
  }
  if (
    CREDENTIAL_CODES.has(code) ||
    code.startsWith('InvalidAccessKeyId.') ||
    code.startsWith('InvalidSecurityToken.')
  ) {
    return { code: 'CREDENTIALS_REJECTED', retryable: false };
  }
  if (UNAVAILABLE_CODES.has(code) || (httpStatus !== null && httpStatus >= 500)) {
    return { code: 'UPSTREAM_UNAVAILABLE', retryable: true };
  }

  return { code: 'UPSTREAM_ERROR', retryable: false };
}
