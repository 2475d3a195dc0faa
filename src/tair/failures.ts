import type { RawAccessDeniedDetail } from '../wire/describe-backups.js';
import {
  type AccessDeniedDetail,
  AccessDeniedError,
  CredentialsError,
  classifyUpstreamCode,
  InstanceNotFoundError,
  InvalidArgumentError,
  type TairError,
  ThrottledError,
  UpstreamError,
  type UpstreamFacts,
} from './errors.js';

/** The secrets of the call that failed; none of them may appear in anything that leaves. */
export interface CallSecrets {
  accessKeyId?: string | undefined;
  accessKeySecret?: string | undefined;
  securityToken?: string | undefined;
}

/** What the client learned about one upstream error answer. */
export interface UpstreamFailure {
  code: string;
  message: unknown;
  requestId: string | null;
  httpStatus: number | null;
  accessDeniedDetail: unknown;
  instanceId: string;
}

const MAX_MESSAGE_LENGTH = 300;
const REDACTED = '[redacted]';

/** Upstream parameter names and the client's words for them. */
const PARAMETER_ARGUMENTS: Record<string, string> = {
  InstanceId: 'instanceId',
  StartTime: 'startTime',
  EndTime: 'endTime',
  PageSize: 'pageSize',
  PageNumber: 'pageNumber',
  BackupId: 'backupId',
  BackupJobId: 'backupJobId',
  NeedAof: 'needAof',
};
const PARAMETER_IN_MESSAGE = new RegExp(`\\b(${Object.keys(PARAMETER_ARGUMENTS).join('|')})\\b`);

/**
 * Removes from upstream text every secret of the call, everything after "string to sign"
 * (SignatureDoesNotMatch quotes it, AccessKeyId included) and anything URL-like that carries a
 * Signature.
 */
function withoutSecrets(text: string, secrets: CallSecrets): string {
  let scrubbed = text;
  const cut = scrubbed.search(/string\s*to\s*sign/i);
  if (cut >= 0) {
    scrubbed = `${scrubbed.slice(0, cut)}${REDACTED}`;
  }
  scrubbed = scrubbed.replace(/\S*Signature=\S*/gi, REDACTED);
  for (const secret of [secrets.accessKeySecret, secrets.securityToken, secrets.accessKeyId]) {
    if (secret) {
      scrubbed = scrubbed.split(secret).join(REDACTED);
    }
  }

  return scrubbed;
}

/** An upstream Message without the call's secrets (see withoutSecrets), cut to a sane length. */
export function scrubMessage(message: unknown, secrets: CallSecrets): string {
  if (typeof message !== 'string') {
    return '';
  }
  const scrubbed = withoutSecrets(message, secrets);

  return scrubbed.length > MAX_MESSAGE_LENGTH
    ? `${scrubbed.slice(0, MAX_MESSAGE_LENGTH)}…`
    : scrubbed;
}

/** The argument an upstream INVALID_ARGUMENT code points at, in the client's words. */
export function argumentFromUpstream(code: string, message: string): string {
  if (code.startsWith('InvalidStartTime.')) {
    return 'startTime';
  }
  if (code.startsWith('InvalidEndTime.') || code.startsWith('InvalidStartTimeAndEndTime.')) {
    return 'endTime';
  }
  if (code.startsWith('InvalidPageSize.')) {
    return 'pageSize';
  }
  const named = PARAMETER_IN_MESSAGE.exec(message)?.[1];

  return named ? (PARAMETER_ARGUMENTS[named] ?? 'request') : 'request';
}

/**
 * One field of AccessDeniedDetail, without the call's secrets, as the Message. Not cut: an
 * EncodedDiagnosticMessage is only of use whole. (A secret inside its encoding cannot be seen,
 * and is not looked for.)
 */
function detailField(
  detail: Record<string, unknown>,
  key: keyof RawAccessDeniedDetail,
  secrets: CallSecrets,
) {
  const value = detail[key];

  return typeof value === 'string' && value.length > 0 ? withoutSecrets(value, secrets) : null;
}

function accessDeniedDetail(raw: unknown, secrets: CallSecrets): AccessDeniedDetail | null {
  if (typeof raw !== 'object' || raw === null) {
    return null;
  }
  const detail = raw as Record<string, unknown>;

  return {
    authAction: detailField(detail, 'AuthAction', secrets),
    noPermissionType: detailField(detail, 'NoPermissionType', secrets),
    policyType: detailField(detail, 'PolicyType', secrets),
    encodedDiagnosticMessage: detailField(detail, 'EncodedDiagnosticMessage', secrets),
  };
}

/** Builds the typed error for an upstream answer with a `Code`, from safe fields only. */
export function errorFromUpstream(failure: UpstreamFailure, secrets: CallSecrets): TairError {
  const { code, instanceId } = failure;
  const facts: UpstreamFacts = {
    upstreamCode: code,
    requestId: failure.requestId,
    httpStatus: failure.httpStatus,
  };
  const classification = classifyUpstreamCode(code, failure.httpStatus);
  if (classification.code === 'CREDENTIALS_REJECTED') {
    // The upstream Message of this class quotes signing material: it is never passed on.
    return new CredentialsError(`the upstream rejected the gateway's credentials (${code})`, facts);
  }
  const upstreamMessage = scrubMessage(failure.message, secrets);
  const suffix = upstreamMessage ? `: ${upstreamMessage}` : '';

  switch (classification.code) {
    case 'INVALID_ARGUMENT': {
      const argument = argumentFromUpstream(code, upstreamMessage);

      return new InvalidArgumentError(
        argument,
        `the upstream refused argument ${argument} (${code})${suffix}`,
        facts,
      );
    }
    case 'INSTANCE_NOT_FOUND':
      return new InstanceNotFoundError(
        instanceId,
        `instance ${instanceId} does not exist (${code})`,
        facts,
      );
    case 'ACCESS_DENIED':
      return new AccessDeniedError(
        `access to DescribeBackups on instance ${instanceId} is denied (${code})${suffix}`,
        facts,
        accessDeniedDetail(failure.accessDeniedDetail, secrets),
      );
    case 'THROTTLED':
      return new ThrottledError(`the upstream throttled DescribeBackups (${code})${suffix}`, facts);
    case 'UPSTREAM_UNAVAILABLE':
      return new UpstreamError(
        'UPSTREAM_UNAVAILABLE',
        `the upstream is unavailable (${code})${suffix}`,
        facts,
      );
    default:
      return new UpstreamError('UPSTREAM_ERROR', `the upstream answered ${code}${suffix}`, facts);
  }
}

/** An HTTP status that is not 2xx on a body without `Code`: 5xx is unavailable, others errors. */
export function errorFromStatus(httpStatus: number, requestId: string | null): UpstreamError {
  const code = httpStatus >= 500 ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_ERROR';

  return new UpstreamError(code, `the upstream answered HTTP ${httpStatus} without an error code`, {
    httpStatus,
    requestId,
  });
}
