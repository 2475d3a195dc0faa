import { errorTypeMap } from '@pothos/plugin-errors';
import { GraphQLError } from 'graphql';
import {
  AccessDeniedError,
  CredentialsError,
  ERROR_CODES,
  InstanceNotFoundError,
  InvalidArgumentError,
  TairError,
  ThrottledError,
  UpstreamError,
} from '../tair/errors.js';
import { builder } from './builder.js';

/**
 * A cursor whose anchor backup moved further than the fetched rows reach. Not a subclass of
 * InvalidArgumentError, so that type resolution can never mistake one for the other.
 */
export class StaleCursorError extends TairError {
  readonly code = 'INVALID_ARGUMENT';
  readonly retryable = false;

  constructor(
    readonly argument: 'after' | 'before',
    message: string,
  ) {
    super(message);
  }
}

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'What kind of failure an Error is; the value a client switches on.',
  values: Object.fromEntries(ERROR_CODES.map((code) => [code, { value: code }])) as Record<
    (typeof ERROR_CODES)[number],
    { value: (typeof ERROR_CODES)[number] }
  >,
});

/** Error classes by GraphQL type name; filled as each type is registered below. */
const typeNameOfClass = new Map<unknown, string>();

export const ErrorInterface = builder.interfaceRef<TairError>('Error').implement({
  description: 'A failure a client can act on. Every error type of this schema implements it.',
  // Errors reach this interface wrapped by the errors plugin, which records each one's class.
  resolveType: (error) => typeNameOfClass.get(errorTypeMap.get(error)) ?? 'UpstreamError',
  fields: (t) => ({
    message: t.exposeString('message', {
      description: 'What went wrong, naming the argument or the upstream condition.',
    }),
    code: t.field({ type: ErrorCodeEnum, resolve: (error) => error.code }),
    upstreamCode: t.string({
      nullable: true,
      description: 'The `Code` DescribeBackups answered with, when the failure came from upstream.',
      resolve: (error) => error.upstreamCode,
    }),
    requestId: t.string({
      nullable: true,
      description: "The upstream `RequestId`, for Alibaba Cloud's support.",
      resolve: (error) => error.requestId,
    }),
    retryable: t.exposeBoolean('retryable', {
      description: 'Whether the same request may succeed later without any change.',
    }),
  }),
});

typeNameOfClass.set(InvalidArgumentError, 'InvalidArgumentError');
builder.objectType(InvalidArgumentError, {
  name: 'InvalidArgumentError',
  description: 'An argument was refused; nothing was sent upstream unless upstreamCode is set.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    argument: t.exposeString('argument', {
      description:
        'The argument at fault, as a path: `first`, `after`, `filter.endTime`, `ids[3]`.',
    }),
  }),
});

typeNameOfClass.set(StaleCursorError, 'StaleCursorError');
builder.objectType(StaleCursorError, {
  name: 'StaleCursorError',
  description:
    'The backup a cursor points at moved too far (backups that finished late were inserted ' +
    'before it); page again from the start.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ argument: t.exposeString('argument') }),
});

typeNameOfClass.set(InstanceNotFoundError, 'InstanceNotFoundError');
builder.objectType(InstanceNotFoundError, {
  name: 'InstanceNotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ instanceId: t.exposeID('instanceId') }),
});

typeNameOfClass.set(AccessDeniedError, 'AccessDeniedError');
builder.objectType(AccessDeniedError, {
  name: 'AccessDeniedError',
  description: "The gateway's RAM identity may not call DescribeBackups on this instance.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    authAction: t.string({ nullable: true, resolve: (error) => error.detail?.authAction ?? null }),
    noPermissionType: t.string({
      nullable: true,
      resolve: (error) => error.detail?.noPermissionType ?? null,
    }),
    policyType: t.string({ nullable: true, resolve: (error) => error.detail?.policyType ?? null }),
    encodedDiagnosticMessage: t.string({
      nullable: true,
      resolve: (error) => error.detail?.encodedDiagnosticMessage ?? null,
    }),
  }),
});

typeNameOfClass.set(ThrottledError, 'ThrottledError');
builder.objectType(ThrottledError, {
  name: 'ThrottledError',
  description: 'Upstream throttled the call after the gateway had retried; try again later.',
  interfaces: [ErrorInterface],
});

typeNameOfClass.set(CredentialsError, 'CredentialsError');
builder.objectType(CredentialsError, {
  name: 'CredentialsError',
  description: "Upstream rejected the gateway's own credentials; an operator must act.",
  interfaces: [ErrorInterface],
});

typeNameOfClass.set(UpstreamError, 'UpstreamError');
builder.objectType(UpstreamError, {
  name: 'UpstreamError',
  description:
    'UPSTREAM_UNAVAILABLE: upstream failed or could not be reached (retryable). ' +
    'UPSTREAM_ERROR: upstream answered with a code this gateway does not know.',
  interfaces: [ErrorInterface],
});

/** The error classes a result union lists, in the contract's order. */
export const UPSTREAM_ERROR_TYPES = [
  InvalidArgumentError,
  InstanceNotFoundError,
  AccessDeniedError,
  ThrottledError,
  CredentialsError,
  UpstreamError,
] as const;

/**
 * For fields that have no error union (`node`, `instances`): a typed failure becomes a GraphQL
 * error whose extensions carry the same facts, so yoga does not mask it.
 */
export function toGraphQLError(error: TairError): GraphQLError {
  const argument = error instanceof InvalidArgumentError ? error.argument : undefined;

  return new GraphQLError(error.message, {
    extensions: {
      code: error.code,
      retryable: error.retryable,
      ...(argument === undefined ? {} : { argument }),
      ...(error.upstreamCode === null ? {} : { upstreamCode: error.upstreamCode }),
      ...(error.requestId === null ? {} : { requestId: error.requestId }),
    },
  });
}
