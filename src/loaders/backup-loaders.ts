import DataLoader from 'dataloader';
import type { Logger } from '../logger.js';
import { describeBackupsKey } from '../tair/shared-calls.js';
import type { DescribeBackupsInput, DescribeBackupsPage, TairBackupClient } from '../tair/types.js';
import type { PageSize } from '../wire/describe-backups.js';

/** One DescribeBackups call, in canonical form: times already on whole minutes. */
export interface PageRequest {
  instanceId: string;
  startTime: Date;
  endTime: Date;
  needAof: boolean;
  backupId: string | null;
  backupJobId: string | null;
  pageSize: PageSize;
  pageNumber: number;
}

/** The client's input for a request: absent filters stay absent. */
function toInput(request: PageRequest): DescribeBackupsInput {
  return {
    instanceId: request.instanceId,
    startTime: request.startTime,
    endTime: request.endTime,
    pageSize: request.pageSize,
    pageNumber: request.pageNumber,
    needAof: request.needAof,
    ...(request.backupId === null ? {} : { backupId: request.backupId }),
    ...(request.backupJobId === null ? {} : { backupJobId: request.backupJobId }),
  };
}

export interface BackupLoaders {
  /** One upstream page; equal requests in one operation share one call. */
  page(request: PageRequest): Promise<DescribeBackupsPage>;
  /**
   * Any page of the instance: FullStorageSize and LogStorageSize belong to the instance, so a call
   * made for any field of this request will do; alone it makes `fallback`, one small call.
   */
  anyPage(instanceId: string, fallback: PageRequest): Promise<DescribeBackupsPage>;
  /** Distinct upstream calls this request has started. */
  readonly upstreamCalls: number;
}

/** Creates the loaders of one request. Never share them: their cache is the request's. */
export function createBackupLoaders(client: TairBackupClient, logger: Logger): BackupLoaders {
  const inputs = new Map<string, DescribeBackupsInput>();
  let unkeyed = 0;
  const firstCallByInstance = new Map<string, Promise<DescribeBackupsPage>>();
  let upstreamCalls = 0;

  const pages = new DataLoader<string, DescribeBackupsPage>(
    async (keys) => {
      upstreamCalls += keys.length;

      // Calls for different keys run in parallel; the client bounds concurrency process-wide.
      return Promise.all(
        keys.map((key) =>
          client
            .describeBackups(inputs.get(key)!)
            .catch((error: unknown) =>
              error instanceof Error ? error : new Error(`upstream call failed: ${String(error)}`),
            ),
        ),
      );
    },
    { maxBatchSize: 1000 },
  );

  const page = (request: PageRequest): Promise<DescribeBackupsPage> => {
    const input = toInput(request);
    // The same key the cross-request sharing uses; a malformed input is never shared, and the
    // client refuses it naming the argument.
    const key = describeBackupsKey(input) ?? `unkeyed:${unkeyed++}`;
    inputs.set(key, input);
    const promise = pages.load(key);
    if (!firstCallByInstance.has(request.instanceId)) {
      firstCallByInstance.set(request.instanceId, promise);
    }

    return promise;
  };

  // Batched so that it runs after every sibling field of this tick has asked for its pages.
  const storage = new DataLoader<string, DescribeBackupsPage>(async (instanceIds) =>
    Promise.all(
      instanceIds.map((instanceId) => {
        const existing = firstCallByInstance.get(instanceId);
        logger.trace({ instanceId, reused: existing !== undefined }, 'backup storage');

        return (existing ?? page(fallbacks.get(instanceId)!)).catch((error: Error) => error);
      }),
    ),
  );
  const fallbacks = new Map<string, PageRequest>();

  return {
    page,
    anyPage(instanceId, fallback) {
      fallbacks.set(instanceId, fallback);

      return storage.load(instanceId);
    },
    get upstreamCalls() {
      return upstreamCalls;
    },
  };
}
