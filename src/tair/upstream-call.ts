import type http from 'node:http';
import RPCClient from '@alicloud/pop-core';
import type { Logger } from '../logger.js';
import { ACTION, API_VERSION } from '../wire/describe-backups.js';
import type { CredentialsProvider } from './credentials.js';
import { TairError, UpstreamError } from './errors.js';
import { type CallSecrets, errorFromStatus, errorFromUpstream } from './failures.js';
import { type CheckedPageBody, checkPageShape, normalizePage } from './normalize.js';
import type { DescribeBackupsParams } from './request.js';
import { statusReportingAgent } from './status-agent.js';
import type { DescribeBackupsPage } from './types.js';

/** The parts of pop-core 1.8 the client uses; its bundled typings omit verbose mode. */
interface VerboseRpcClient {
  request(
    action: string,
    params: object,
    options: { method: 'POST'; timeout: number; agent: http.Agent },
  ): Promise<[unknown, { response: { statusCode: number } }]>;
}
type VerboseRpcClientConstructor = new (
  config: { endpoint: string; apiVersion: string; credentialsProvider: CredentialsProvider },
  verbose: true,
) => VerboseRpcClient;

/** What pop-core attaches to the Error it throws for a body with a `Code`. */
interface PopCoreCodeError {
  code: unknown;
  data: Record<string, unknown>;
  entry?: { response?: { statusCode?: number } | null };
}

/** What one attempt needs from its client. */
export interface AttemptContext {
  endpoint: string;
  credentialsProvider: CredentialsProvider;
  agent: http.Agent;
  logger: Logger;
}

const NETWORK_CODE = /^E[A-Z_]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function isCodeError(error: unknown): error is PopCoreCodeError {
  return isRecord(error) && error.code !== undefined && isRecord(error.data);
}

function statusText(httpStatus: number | null): string {
  return httpStatus === null ? 'HTTP status unknown' : `HTTP ${httpStatus}`;
}

/**
 * Rebuilds whatever pop-core or httpx threw as a TairError from safe fields. Their messages hold
 * the request URL (and, for GET, its signature), so none of them is passed on or kept as cause.
 */
function translate(
  error: unknown,
  context: {
    instanceId: string;
    httpStatus: number | null;
    timeoutMs: number;
    deadlineMs: number | null;
    secrets: CallSecrets;
  },
  logger: Logger,
): TairError {
  const { httpStatus, timeoutMs, deadlineMs } = context;
  if (error instanceof TairError) {
    return error;
  }
  if (isCodeError(error)) {
    const data = error.data;

    return errorFromUpstream(
      {
        code: String(error.code),
        message: data.Message,
        requestId: stringOrNull(data.RequestId),
        httpStatus: error.entry?.response?.statusCode ?? httpStatus,
        accessDeniedDetail: data.AccessDeniedDetail,
        instanceId: context.instanceId,
      },
      context.secrets,
    );
  }
  const name = isRecord(error) ? String(error.name) : '';
  const code = isRecord(error) ? String(error.code) : '';
  if (name === 'SyntaxError') {
    // json-bigint throws a plain object holding the whole body: only its name is used.
    return new UpstreamError(
      'UPSTREAM_UNAVAILABLE',
      `the upstream answered with a body that is not JSON (${statusText(httpStatus)})`,
      { httpStatus },
    );
  }
  if (name.endsWith('TimeoutError')) {
    return timeoutError(timeoutMs, deadlineMs);
  }
  if (NETWORK_CODE.test(code)) {
    return new UpstreamError(
      'UPSTREAM_UNAVAILABLE',
      `the upstream could not be reached or dropped the connection (${code})`,
      { httpStatus },
    );
  }
  logger.error(
    { action: ACTION, instanceId: context.instanceId, errorName: name.slice(0, 60), httpStatus },
    'DescribeBackups failed in an unexpected way',
  );

  return new UpstreamError(
    'UPSTREAM_UNAVAILABLE',
    `the upstream call failed unexpectedly (${statusText(httpStatus)})`,
    { httpStatus },
  );
}

/** `deadlineMs`: the attempt was given only what was left of this deadline, not its timeout. */
function timeoutError(timeoutMs: number, deadlineMs: number | null): UpstreamError {
  const bound = deadlineMs === null ? '' : `, what was left of the ${deadlineMs} ms deadline`;

  return new UpstreamError(
    'UPSTREAM_UNAVAILABLE',
    `the upstream call timed out after ${timeoutMs} ms${bound}`,
  );
}

/**
 * One signed POST of DescribeBackups, bounded by `timeoutMs` for the whole exchange. Resolves to
 * the normalised page; rejects only with TairErrors. `deadlineMs` is set when `timeoutMs` is what
 * was left of the call's deadline, so that a timeout says so.
 */
export async function callDescribeBackups(
  context: AttemptContext,
  params: DescribeBackupsParams,
  timeoutMs: number,
  deadlineMs: number | null = null,
): Promise<DescribeBackupsPage> {
  const instanceId = params.InstanceId;
  const secrets: CallSecrets = {};
  let httpStatus: number | null = null;
  // A client per call, so the secrets used to sign are known for scrubbing this call's errors.
  const Client = RPCClient as unknown as VerboseRpcClientConstructor;
  const rpc = new Client(
    {
      endpoint: context.endpoint,
      apiVersion: API_VERSION,
      credentialsProvider: {
        getCredentials: async () => {
          const credentials = await context.credentialsProvider.getCredentials();
          Object.assign(secrets, credentials);

          return credentials;
        },
      },
    },
    true,
  );
  const agent = statusReportingAgent(context.agent, (status) => {
    httpStatus = status;
  });

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(timeoutMs, deadlineMs)), timeoutMs);
  });
  // pop-core's own timeout (httpx) also covers connect and read; the race is the hard bound.
  const call = rpc.request(ACTION, params, { method: 'POST', timeout: timeoutMs, agent });
  // When the race is lost, the call's late rejection must not become an unhandled one.
  call.catch(() => undefined);

  let body: unknown;
  try {
    const [json, entry] = await Promise.race([call, deadline]);
    body = json;
    httpStatus = entry.response.statusCode;
  } catch (error) {
    throw translate(
      error,
      { instanceId, httpStatus, timeoutMs, deadlineMs, secrets },
      context.logger,
    );
  } finally {
    clearTimeout(timer);
  }

  const requestId = isRecord(body) ? stringOrNull(body.RequestId) : null;
  if (httpStatus !== null && (httpStatus < 200 || httpStatus > 299)) {
    throw errorFromStatus(httpStatus, requestId);
  }
  const problem = checkPageShape(body);
  if (problem !== null) {
    throw new UpstreamError(
      'UPSTREAM_UNAVAILABLE',
      `the upstream answered with a body that is not a DescribeBackups page: ${problem}`,
      { httpStatus, requestId },
    );
  }

  return normalizePage(body as CheckedPageBody, {
    instanceId,
    requestId: (body as CheckedPageBody).RequestId,
    logger: context.logger,
  });
}
