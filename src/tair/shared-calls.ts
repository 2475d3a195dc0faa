import type { CallCache } from '../cache/call-cache.js';
import { type Logger, silentLogger } from '../logger.js';
import { DEFAULT_PAGE_SIZE } from '../wire/describe-backups.js';
import type { DescribeBackupsInput, DescribeBackupsPage, TairBackupClient } from './types.js';

export interface SharedCallsOptions {
  /** Answers kept for a short while after they arrive; none when absent. @default undefined */
  cache?: CallCache<DescribeBackupsPage>;
  /** Where a failing cache is reported. @default silentLogger */
  logger?: Logger;
}

/** What the decorator has done since it was created, for metrics and the benchmark. */
export interface SharedCallsStats {
  /** describeBackups calls received. */
  requested: number;
  /** Calls that joined one already in flight. */
  joined: number;
  /** Calls answered from the cache. */
  cacheHits: number;
  /** Calls passed to the wrapped client. */
  upstream: number;
}

/** A client whose equal concurrent calls share one upstream call. */
export interface SharedCallsClient extends TairBackupClient {
  /** Calls in flight right now, one per distinct key. */
  readonly inFlight: number;
  stats(): SharedCallsStats;
}

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/**
 * The key two equal calls share, within a request (the loaders) and across requests: every
 * parameter that reaches upstream, with the client's defaults filled in. Null when the input is
 * malformed: such a call goes to the client alone, which refuses it naming the argument.
 */
export function describeBackupsKey(input: DescribeBackupsInput): string | null {
  if (!isValidDate(input.startTime) || !isValidDate(input.endTime)) {
    return null;
  }

  return JSON.stringify([
    input.instanceId,
    input.startTime.getTime(),
    input.endTime.getTime(),
    input.needAof === true ? 1 : 0,
    input.backupId ?? null,
    input.backupJobId ?? null,
    input.pageSize ?? DEFAULT_PAGE_SIZE,
    input.pageNumber ?? 1,
  ]);
}

/**
 * Wraps a client so that equal calls in flight at the same time, from any requests, share one
 * upstream call, and, with a cache, equal calls within its time to live share one answer.
 *
 * A shared call that fails rejects every caller with the same TairError; failures are never
 * cached, so the next call after a failure goes upstream again. "Now" differs per request, but
 * the default endTime is ceil(now) to the minute, so equal listings within a minute share.
 */
export function withSharedCalls(
  client: TairBackupClient,
  options: SharedCallsOptions = {},
): SharedCallsClient {
  const { cache } = options;
  const logger = options.logger ?? silentLogger;
  const inFlight = new Map<string, Promise<DescribeBackupsPage>>();
  const stats: SharedCallsStats = { requested: 0, joined: 0, cacheHits: 0, upstream: 0 };

  async function cached(key: string): Promise<DescribeBackupsPage | undefined> {
    try {
      return await cache?.get(key);
    } catch (error) {
      logger.warn({ err: error }, 'the call cache failed on get; calling upstream');

      return undefined;
    }
  }

  async function store(key: string, page: DescribeBackupsPage): Promise<void> {
    try {
      await cache?.set(key, page);
    } catch (error) {
      logger.warn({ err: error }, 'the call cache failed on set; the answer is not cached');
    }
  }

  async function load(key: string, input: DescribeBackupsInput): Promise<DescribeBackupsPage> {
    if (cache) {
      const hit = await cached(key);
      if (hit !== undefined) {
        stats.cacheHits += 1;

        return hit;
      }
    }

    stats.upstream += 1;
    const page = await client.describeBackups(input);
    if (cache) {
      await store(key, page);
    }

    return page;
  }

  return {
    describeBackups(input) {
      stats.requested += 1;
      const key = describeBackupsKey(input);
      if (key === null) {
        stats.upstream += 1;

        return client.describeBackups(input);
      }
      const running = inFlight.get(key);
      if (running) {
        stats.joined += 1;

        return running;
      }

      const call = load(key, input);
      inFlight.set(key, call);
      // Settled calls leave the map at once: only a cache may serve an answer after it arrived.
      const forget = () => {
        if (inFlight.get(key) === call) {
          inFlight.delete(key);
        }
      };
      call.then(forget, forget);

      return call;
    },
    get inFlight() {
      return inFlight.size;
    },
    stats: () => ({ ...stats }),
  };
}
