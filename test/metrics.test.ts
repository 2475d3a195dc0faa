import { register as globalRegistry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readiness } from '../src/plugins/use-health.js';
import { createGatewayMetrics, type GatewayMetrics } from '../src/plugins/use-metrics.js';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';

/** A metrics harness: the client's hook and the gateway share one registry, as in main.ts. */
async function startMetered(): Promise<{ harness: Harness; metrics: GatewayMetrics }> {
  const metrics = createGatewayMetrics({ processMetrics: false });
  const harness = await startHarness({
    dataset: {
      instances: { 'r-metered001': instanceWith(40), 'r-metered002': instanceWith(2) },
    },
    client: { onUpstreamCall: metrics.observeUpstreamCall },
    gateway: { metrics },
  });

  return { harness, metrics };
}

/** The value of one sample of the text exposition format, or null when it is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) {
      continue;
    }
    const present = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.length === present.length && wanted.every((label) => present.includes(label))) {
      return Number(match[3]);
    }
  }

  return null;
}

let first: { harness: Harness; metrics: GatewayMetrics };
let second: { harness: Harness; metrics: GatewayMetrics };

beforeAll(async () => {
  first = await startMetered();
  second = await startMetered();
});
afterAll(async () => {
  await first.harness.close();
  await second.harness.close();
});

async function scrape(harness: Harness): Promise<{ text: string; contentType: string | null }> {
  const response = await harness.gateway.fetch('http://gateway.test/metrics');
  expect(response.status).toBe(200);

  return { text: await response.text(), contentType: response.headers.get('content-type') };
}

describe('GET /metrics', () => {
  it('counts requests and their duration by operation and outcome', async () => {
    const { harness } = first;
    await harness.query(
      'query Listing { instance(id: "r-metered001") { backups { totalCount } } }',
    );
    await harness.query(
      'query Listing { instance(id: "r-metered002") { backups { totalCount } } }',
    );
    await harness.query(
      'query Missing { instance(id: "r-nothere0001") { backups { error { code } } } }',
    );
    await harness.query('{ nope }');
    const { text, contentType } = await scrape(harness);

    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(text, 'graphql_requests_total', { operation: 'Listing', outcome: 'ok' })).toBe(2);
    expect(
      sample(text, 'graphql_requests_total', { operation: 'Missing', outcome: 'typed_error' }),
    ).toBe(1);
    expect(
      sample(text, 'graphql_requests_total', { operation: 'anonymous', outcome: 'error' }),
    ).toBe(1);
    expect(
      sample(text, 'graphql_request_duration_seconds_count', {
        operation: 'Listing',
        outcome: 'ok',
      }),
    ).toBe(2);
    expect(sample(text, 'graphql_typed_errors_total', { type: 'InstanceNotFoundError' })).toBe(1);
  });

  it('counts upstream attempts by outcome, a retried failure included', async () => {
    const { harness } = first;
    const before = (await scrape(harness)).text;
    harness.emulator.setFault('r-metered002', {
      Code: 'ServiceUnavailable',
      HttpStatus: 503,
      Times: 1,
    });
    const response = await harness.query(
      '{ instance(id: "r-metered002") { backups { totalCount } } }',
    );
    const after = (await scrape(harness)).text;
    const delta = (name: string, outcome: string) =>
      (sample(after, name, { outcome }) ?? 0) - (sample(before, name, { outcome }) ?? 0);

    expect(response.body.data).toEqual({ instance: { backups: { totalCount: 2 } } });
    expect(delta('tair_upstream_calls_total', 'UPSTREAM_UNAVAILABLE')).toBe(1);
    expect(delta('tair_upstream_calls_total', 'ok')).toBe(1);
    expect(delta('tair_upstream_call_duration_seconds_count', 'ok')).toBe(1);
  });

  it('keeps a registry per gateway, apart from prom-client’s global one', async () => {
    await second.harness.query(
      'query OnlyHere { instance(id: "r-metered002") { backups { totalCount } } }',
    );
    const firstText = (await scrape(first.harness)).text;
    const secondText = (await scrape(second.harness)).text;

    expect(
      sample(secondText, 'graphql_requests_total', { operation: 'OnlyHere', outcome: 'ok' }),
    ).toBe(1);
    expect(
      sample(firstText, 'graphql_requests_total', { operation: 'OnlyHere', outcome: 'ok' }),
    ).toBeNull();
    expect(
      sample(secondText, 'graphql_requests_total', { operation: 'Listing', outcome: 'ok' }),
    ).toBeNull();
    expect(await globalRegistry.metrics()).not.toContain('graphql_requests_total');
  });

  it('labels client-chosen operation names it cannot trust as other', async () => {
    const metrics = createGatewayMetrics({ processMetrics: false });
    const summary = {
      requestId: 'r',
      operationType: 'query' as const,
      operations: 1,
      httpStatus: 200,
      durationMs: 1,
      upstreamCalls: 0,
      typedErrors: {},
      graphqlErrors: {},
      outcome: 'ok' as const,
    };
    for (let index = 0; index < 105; index += 1) {
      metrics.observeOperation({ ...summary, operationName: `Op${index}` });
    }
    metrics.observeOperation({ ...summary, operationName: 'x'.repeat(65) });
    const text = await metrics.registry.metrics();

    expect(sample(text, 'graphql_requests_total', { operation: 'Op99', outcome: 'ok' })).toBe(1);
    expect(
      sample(text, 'graphql_requests_total', { operation: 'Op100', outcome: 'ok' }),
    ).toBeNull();
    expect(sample(text, 'graphql_requests_total', { operation: 'other', outcome: 'ok' })).toBe(6);
  });

  it('counts a batch once, as (batch), with the typed errors of every operation in it', async () => {
    const metrics = createGatewayMetrics({ processMetrics: false });
    metrics.observeOperation({
      requestId: 'r',
      operationName: 'A, B',
      operationType: 'query',
      operations: 2,
      httpStatus: 200,
      durationMs: 1,
      upstreamCalls: 2,
      typedErrors: { AccessDeniedError: 1 },
      graphqlErrors: {},
      outcome: 'typed_error',
    });
    const text = await metrics.registry.metrics();

    expect(
      sample(text, 'graphql_requests_total', { operation: '(batch)', outcome: 'typed_error' }),
    ).toBe(1);
    expect(sample(text, 'graphql_typed_errors_total', { type: 'AccessDeniedError' })).toBe(1);
  });

  it('includes the process metrics by default', async () => {
    const text = await createGatewayMetrics().registry.metrics();

    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('GET /healthz and /readyz', () => {
  it('answers liveness always and readiness by the process state', async () => {
    const readiness = new Readiness();
    const harness = await startHarness({
      dataset: { instances: {} },
      gateway: { readiness },
    });
    const probe = async (path: string) => {
      const response = await harness.gateway.fetch(`http://gateway.test${path}`);

      return [response.status, await response.json()];
    };
    try {
      expect(await probe('/healthz')).toEqual([200, { status: 'alive' }]);
      expect(await probe('/readyz')).toEqual([503, { status: 'starting' }]);
      readiness.markReady();
      expect(await probe('/readyz')).toEqual([200, { status: 'ready' }]);
      readiness.markStopping();
      readiness.markReady();
      expect(await probe('/readyz')).toEqual([503, { status: 'stopping' }]);
      expect(await probe('/healthz')).toEqual([200, { status: 'alive' }]);
    } finally {
      await harness.close();
    }
  });

  it('answers HEAD on the probes and /metrics, and 405 naming GET and HEAD to other methods', async () => {
    const harness = await startHarness({ dataset: { instances: {} } });
    const status = async (method: string, path: string) => {
      const response = await harness.gateway.fetch(`http://gateway.test${path}`, {
        method,
        ...(method === 'POST'
          ? { body: '{}', headers: { 'content-type': 'application/json' } }
          : {}),
      });
      await response.arrayBuffer();

      return [response.status, response.headers.get('allow')];
    };
    try {
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        expect(await status('HEAD', path)).toEqual([200, null]);
        expect(await status('POST', path)).toEqual([405, 'GET, HEAD']);
        expect(await status('DELETE', path)).toEqual([405, 'GET, HEAD']);
      }
    } finally {
      await harness.close();
    }
  });
});
