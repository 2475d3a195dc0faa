import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import pRetry from 'p-retry';
import { type Logger, silentLogger } from '../logger.js';
import { ACTION } from '../wire/describe-backups.js';
import {
  type CredentialsProvider,
  type CredentialsSource,
  toCredentialsProvider,
} from './credentials.js';
import { type ErrorCode, TairError, UpstreamError } from './errors.js';
import { buildDescribeBackupsParams, type DescribeBackupsParams } from './request.js';
import { createSharedAgent } from './status-agent.js';
import type { DescribeBackupsInput, DescribeBackupsPage, TairBackupClient } from './types.js';
import { callDescribeBackups } from './upstream-call.js';

/** An attempt with less time than this left would only time out: it is not started. */
const MIN_ATTEMPT_MS = 50;

/** One upstream attempt, as the observability hook sees it. */
export interface UpstreamCallEvent {
  instanceId: string;
  pageSize: number;
  pageNumber: number;
  durationMs: number;
  outcome: 'ok' | ErrorCode;
  requestId: string | null;
  /** 1 for the first attempt of a describeBackups call, 2 for its first retry, … */
  attempt: number;
}

export interface TairClientOptions {
  /** The R-kvstore endpoint, e.g. `https://r-kvstore.cn-hangzhou.aliyuncs.com`. */
  endpoint: string;
  /** A static pair, Alibaba Cloud's default chain, or any pop-core credentialsProvider. */
  credentials: CredentialsSource | CredentialsProvider;
  /** @default silentLogger */
  logger?: Logger;
  /** Bound on one attempt, connect to last byte. @default 10000 */
  timeoutMs?: number;
  /** Attempts per describeBackups call, the first included. @default 3 */
  maxAttempts?: number;
  /** Backoff base: the nth retry waits a random 0..min(maxDelayMs, baseDelayMs·2^(n-1)). @default 100 */
  baseDelayMs?: number;
  /** @default 2000 */
  maxDelayMs?: number;
  /** No attempt starts after this long from the call; the last one's timeout is cut to fit. @default 20000 */
  deadlineMs?: number;
  /** Upstream calls in flight at once from this client (one client per process). @default 16 */
  maxConcurrency?: number;
  /** Called after every upstream attempt, for metrics and per-request call counts. */
  onUpstreamCall?: (event: UpstreamCallEvent) => void;
}

/** The client, plus a way to release its keep-alive sockets. */
export interface TairClient extends TairBackupClient {
  close(): void;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < 0 || (chosen === 0 && name !== 'baseDelayMs')) {
    const rule = name === 'baseDelayMs' ? 'a non-negative' : 'a positive';
    throw new RangeError(`${name} must be ${rule} integer; received ${String(value)}`);
  }

  return chosen;
}

/**
 * Creates the one typed client of DescribeBackups. Credentials live in this closure only: the
 * returned object has nothing but its methods, so logging it shows no secret.
 */
export function createTairClient(options: TairClientOptions): TairClient {
  if (!/^https?:\/\/[^/]/.test(options.endpoint) || !URL.canParse(options.endpoint)) {
    throw new RangeError(
      `endpoint must be an http(s) URL; received ${JSON.stringify(options.endpoint)}`,
    );
  }
  const logger = options.logger ?? silentLogger;
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs, 10_000);
  const maxAttempts = positiveInteger('maxAttempts', options.maxAttempts, 3);
  const baseDelayMs = positiveInteger('baseDelayMs', options.baseDelayMs, 100);
  const maxDelayMs = positiveInteger('maxDelayMs', options.maxDelayMs, 2000);
  const deadlineMs = positiveInteger('deadlineMs', options.deadlineMs, 20_000);
  const limit = pLimit(positiveInteger('maxConcurrency', options.maxConcurrency, 16));
  const agent = createSharedAgent(options.endpoint);
  const context = {
    endpoint: options.endpoint,
    credentialsProvider: toCredentialsProvider(options.credentials),
    agent,
    logger,
  };

  async function attempt(
    params: DescribeBackupsParams,
    attemptNumber: number,
    deadlineAt: number,
    previous: TairError | null,
  ): Promise<DescribeBackupsPage> {
    const remaining = Math.floor(deadlineAt - performance.now());
    if (remaining < MIN_ATTEMPT_MS) {
      // The wait for a free slot ate the budget: the caller learns what last went wrong.
      throw (
        previous ??
        new UpstreamError(
          'UPSTREAM_UNAVAILABLE',
          `the ${deadlineMs} ms deadline passed while the call waited for a free upstream slot`,
        )
      );
    }

    const started = performance.now();
    let outcome: UpstreamCallEvent['outcome'] = 'ok';
    let requestId: string | null = null;
    try {
      const page = await (remaining < timeoutMs
        ? callDescribeBackups(context, params, remaining, deadlineMs)
        : callDescribeBackups(context, params, timeoutMs));
      requestId = page.requestId;

      return page;
    } catch (error) {
      // callDescribeBackups rejects with TairErrors only.
      const failure = error as TairError;
      outcome = failure.code;
      requestId = failure.requestId;
      throw failure;
    } finally {
      const event: UpstreamCallEvent = {
        instanceId: params.InstanceId,
        pageSize: Number(params.PageSize),
        pageNumber: Number(params.PageNumber),
        durationMs: Math.round(performance.now() - started),
        outcome,
        requestId,
        attempt: attemptNumber,
      };
      logger.debug({ action: ACTION, ...event }, 'upstream call');
      try {
        options.onUpstreamCall?.(event);
      } catch {
        // A failing metrics hook must not turn a good answer into a failed call.
        logger.error({ action: ACTION, instanceId: params.InstanceId }, 'onUpstreamCall threw');
      }
    }
  }

  async function describeBackups(input: DescribeBackupsInput): Promise<DescribeBackupsPage> {
    const params = buildDescribeBackupsParams(input);

    const deadlineAt = performance.now() + deadlineMs;
    let previous: TairError | null = null;

    return pRetry(
      (attemptNumber) => limit(() => attempt(params, attemptNumber, deadlineAt, previous)),
      {
        retries: maxAttempts - 1,
        // p-retry's own backoff is off: full jitter is computed below and slept in shouldRetry.
        minTimeout: 0,
        maxTimeout: 0,
        shouldRetry: async ({ error, attemptNumber }) => {
          if (!(error instanceof TairError) || !error.retryable) {
            return false;
          }
          previous = error;
          const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attemptNumber - 1));
          const delayMs = Math.floor(Math.random() * ceiling);
          if (deadlineAt - (performance.now() + delayMs) < MIN_ATTEMPT_MS) {
            return false;
          }
          logger.warn(
            {
              action: ACTION,
              instanceId: params.InstanceId,
              attempt: attemptNumber,
              code: error.code,
              upstreamCode: error.upstreamCode,
              delayMs,
            },
            'retrying DescribeBackups',
          );
          await sleep(delayMs);

          return true;
        },
      },
    );
  }

  return {
    describeBackups,
    close: () => agent.destroy(),
  };
}
