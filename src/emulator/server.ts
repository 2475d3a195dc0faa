import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, silentLogger } from '../logger.js';
import { TIMESTAMP_TOLERANCE_MS } from '../wire/describe-backups.js';
import { createDemoDataset, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET } from './demo-data.js';
import { FaultBook } from './faults.js';
import { type HandlerContext, handleRequest } from './handler.js';
import { NonceStore } from './nonce-store.js';
import { sortBackups } from './query.js';
import type { EmulatorRequestRecord } from './request-log.js';
import { EmulatorError, errorBody, JSON_CONTENT_TYPE, newRequestId, toJson } from './responses.js';
import type { EmulatorBackup, EmulatorDataset, EmulatorFault, ExactInteger } from './types.js';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** @default the demo dataset */
  dataset?: EmulatorDataset;
  /** @default DEMO_ACCESS_KEY_ID */
  accessKeyId?: string;
  /** @default DEMO_ACCESS_KEY_SECRET */
  accessKeySecret?: string;
  /** @default a silent logger */
  logger?: Logger;
  /** The server's clock, for timestamp checks. @default () => new Date() */
  now?: () => Date;
}

/** A started emulator and the handles tests use to steer and observe it. */
export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:4010` */
  url: string;
  port: number;
  accessKeyId: string;
  accessKeySecret: string;
  /** One record per HTTP request received, oldest first. */
  readonly requests: readonly EmulatorRequestRecord[];
  clearRequests(): void;
  /** Arms a fault for an instance (its `Times` counted from now), or clears it with null. */
  setFault(instanceId: string, fault: EmulatorFault | null): void;
  /** Adds an item to an instance of the dataset, e.g. between two page requests. */
  addBackup(instanceId: string, backup: EmulatorBackup): void;
  /** Removes the items whose BackupId is `backupId` (exact decimal); false when none matched. */
  removeBackup(instanceId: string, backupId: ExactInteger): boolean;
  /** An instance's items in the emulator's order, all of them, unfiltered. */
  sortedBackups(instanceId: string): EmulatorBackup[];
  /** Stops listening and closes every connection, idle keep-alive ones included. */
  close(): Promise<void>;
}

// The emulator changes its instances (addBackup), so it works on its own copy of them.
function copyDataset(dataset: EmulatorDataset): EmulatorDataset {
  const instances = Object.fromEntries(
    Object.entries(dataset.instances).map(([id, instance]) => [
      id,
      { ...instance, Backups: [...instance.Backups] },
    ]),
  );

  return { ...dataset, instances };
}

function instanceOf(dataset: EmulatorDataset, instanceId: string) {
  const instance = dataset.instances[instanceId];
  if (!instance) {
    const known = Object.keys(dataset.instances).join(', ');
    throw new TypeError(
      `instanceId must be one of the dataset's (${known}), received "${instanceId}"`,
    );
  }

  return instance;
}

/** Starts an R-kvstore DescribeBackups emulator on a loopback port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const dataset = copyDataset(options.dataset ?? createDemoDataset());
  const faults = new FaultBook();
  for (const [id, instance] of Object.entries(dataset.instances)) {
    if (instance.Fault) {
      faults.set(id, instance.Fault);
    }
  }
  const keys = {
    accessKeyId: options.accessKeyId ?? DEMO_ACCESS_KEY_ID,
    accessKeySecret: options.accessKeySecret ?? DEMO_ACCESS_KEY_SECRET,
  };
  const log: EmulatorRequestRecord[] = [];
  const context: HandlerContext = {
    dataset,
    keys,
    nonces: new NonceStore(TIMESTAMP_TOLERANCE_MS),
    faults,
    log,
    logger: options.logger ?? silentLogger,
    now: options.now ?? (() => new Date()),
  };

  const server = createServer((req, res) => {
    handleRequest(req, res, context).catch((error: unknown) => {
      // The emulator's own failure (a fault set through setFault with a status node refuses,
      // say): answered as the API answers its internal errors, never left hanging.
      context.logger.error({ err: error }, 'the emulator failed to answer a request');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const failure = new EmulatorError(
        500,
        'InternalError',
        'The emulator failed to answer this request.',
      );
      res.writeHead(500, { 'content-type': JSON_CONTENT_TYPE });
      res.end(toJson(errorBody(newRequestId(), failure)));
    });
  });
  // A client that hangs up mid-request must not take the process down.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    ...keys,
    get requests() {
      return log;
    },
    clearRequests: () => {
      log.length = 0;
    },
    setFault: (instanceId, fault) => faults.set(instanceId, fault),
    addBackup: (instanceId, backup) => {
      instanceOf(dataset, instanceId).Backups.push(backup);
    },
    removeBackup: (instanceId, backupId) => {
      const instance = instanceOf(dataset, instanceId);
      const kept = instance.Backups.filter((item) => String(item.BackupId) !== String(backupId));
      const removed = kept.length !== instance.Backups.length;
      instance.Backups = kept;

      return removed;
    },
    sortedBackups: (instanceId) => sortBackups(instanceOf(dataset, instanceId).Backups),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
