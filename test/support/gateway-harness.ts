import { generateBackups } from '../../src/emulator/generate-backups.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import type { EmulatorDataset, EmulatorInstance } from '../../src/emulator/types.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/server.js';
import {
  createTairClient,
  type TairClient,
  type TairClientOptions,
} from '../../src/tair/client.js';
import { recordResponse, SUITE_KEYS, signingSecret, suiteLogger } from './suite-secrets.js';

/** The instant every test request treats as "now", after all generated backups. */
export const TEST_NOW = new Date('2026-12-01T00:00:00Z');

/** An instance of `count` hourly backups, the newest at 2026-11-30T10:00:17Z. */
export function instanceWith(
  count: number,
  extra: Partial<EmulatorInstance> = {},
): EmulatorInstance {
  return {
    Backups: generateBackups({
      instanceId: 'generated',
      count,
      newest: new Date('2026-11-30T10:00:17Z'),
      intervalMinutes: 60,
    }),
    FullStorageSize: 1000 + count,
    LogStorageSize: 5000,
    ...extra,
  };
}

export interface GraphQLResponse<Data> {
  status: number;
  body: {
    data?: Data;
    errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
  };
}

export interface Harness {
  emulator: RunningEmulator;
  client: TairClient;
  gateway: Gateway;
  /** Runs one operation through yoga in process; the client below it crosses real HTTP. */
  query<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<Data>>;
  /** Upstream calls the emulator has received since the last reset. */
  calls(): number;
  resetCalls(): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  dataset: EmulatorDataset;
  client?: Partial<TairClientOptions>;
  gateway?: Partial<GatewayOptions>;
  /** The secret the gateway signs with; a wrong one exercises credential rejection. */
  secret?: string;
}

/** One operation POSTed to `gateway` in process, as a GraphQL-over-HTTP client sends it. */
export async function postQuery(
  gateway: Gateway,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; text: string }> {
  const response = await gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
    },
    body: JSON.stringify({ query, variables }),
  });

  return { status: response.status, text: await response.text() };
}

/** The emulator on a loopback port, the real pop-core client over HTTP, and the gateway. */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const emulator = await startEmulator({ dataset: options.dataset, ...SUITE_KEYS });
  const client = createTairClient({
    endpoint: emulator.url,
    credentials: {
      kind: 'static',
      accessKeyId: SUITE_KEYS.accessKeyId,
      accessKeySecret: signingSecret(options.secret ?? SUITE_KEYS.accessKeySecret),
    },
    // Gateway and client log at trace into a capture that test/support/suite-secrets-setup.ts scans.
    logger: suiteLogger.child({ component: 'tair-client' }),
    baseDelayMs: 1,
    maxDelayMs: 5,
    maxConcurrency: 64,
    ...options.client,
  });
  const gateway = createGateway({
    client,
    logger: suiteLogger,
    now: () => TEST_NOW,
    // Every query runs compiled, as a query sent more than once does in production;
    // test/compiled-execution.test.ts compares the two executors.
    compileQueriesAfter: 1,
    ...options.gateway,
  });
  const recordingFetch = (async (...args: Parameters<Gateway['fetch']>) => {
    const response = await gateway.fetch(...args);
    recordResponse('gateway.fetch', await response.clone().text());

    return response;
  }) as Gateway['fetch'];
  // What tests fetch from the gateway directly is scanned for secrets too.
  const recordingGateway = new Proxy(gateway, {
    get: (target, property, receiver) =>
      property === 'fetch' ? recordingFetch : Reflect.get(target, property, receiver),
  });

  return {
    emulator,
    client,
    gateway: recordingGateway,
    async query<Data>(query: string, variables?: Record<string, unknown>) {
      const { status, text } = await postQuery(gateway, query, variables);
      recordResponse('harness.query', text);

      return { status, body: JSON.parse(text) as GraphQLResponse<Data>['body'] };
    },
    calls: () => emulator.requests.length,
    resetCalls: () => emulator.clearRequests(),
    async close() {
      client.close();
      await emulator.close();
    },
  };
}
