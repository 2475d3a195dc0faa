import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { backupsPage, ERROR_FIELDS } from './support/backups-page.js';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';
import { startUpstreamRecorder, type UpstreamRecorder } from './support/upstream-recorder.js';

// UPSTREAM_MAX_ATTEMPTS as an operator sets it, read the way main.ts reads it.
const MAX_ATTEMPTS = loadConfig({ UPSTREAM_MAX_ATTEMPTS: '4' }).upstreamMaxAttempts;
const MANY = Array.from({ length: 100 }, (_, index) => `r-many${String(index).padStart(3, '0')}`);
const HANG_TIMEOUT_MS = 200;
const DEADLINE_MS = 900;

let harness: Harness;
let recorder: UpstreamRecorder;

beforeAll(async () => {
  recorder = await startUpstreamRecorder();
  harness = await startHarness({
    dataset: {
      instances: {
        'r-ok': instanceWith(12),
        'r-denied': instanceWith(3, { Fault: { Code: 'Forbidden.RAM', HttpStatus: 403 } }),
        'r-throttled': instanceWith(3),
        'r-hang': instanceWith(3),
      },
    },
    client: {
      endpoint: recorder.url,
      maxAttempts: MAX_ATTEMPTS,
      maxConcurrency: 4,
      timeoutMs: HANG_TIMEOUT_MS,
      deadlineMs: DEADLINE_MS,
    },
  });
  recorder.target = harness.emulator.url;
});
afterAll(async () => {
  await harness.close();
  await recorder.close();
});
afterEach(() => {
  harness.emulator.setFault('r-ok', null);
  harness.emulator.setFault('r-throttled', null);
  harness.emulator.setFault('r-hang', null);
});

describe('retries through the gateway', () => {
  it('answers the page after two Throttling answers, in three calls', async () => {
    harness.emulator.setFault('r-ok', { Code: 'Throttling.User', HttpStatus: 400, Times: 2 });
    const { page, calls } = await backupsPage(harness, 'r-ok', { first: 5 });

    expect(page.error).toBeNull();
    expect(page.edges).toHaveLength(5);
    expect(calls).toBe(3);
    expect(harness.emulator.requests.map((request) => request.code)).toEqual([
      'Throttling.User',
      'Throttling.User',
      null,
    ]);
  });

  it('answers ThrottledError, retryable, after exactly UPSTREAM_MAX_ATTEMPTS calls', async () => {
    harness.emulator.setFault('r-throttled', { Code: 'Throttling', HttpStatus: 400 });
    const { page, calls } = await backupsPage(harness, 'r-throttled', { first: 5 });

    expect(MAX_ATTEMPTS).toBe(4);
    expect(page.error).toMatchObject({
      __typename: 'ThrottledError',
      code: 'THROTTLED',
      retryable: true,
      upstreamCode: 'Throttling',
    });
    expect(calls).toBe(MAX_ATTEMPTS);
  });

  it.each([
    ['r-absent', 'InstanceNotFoundError'],
    ['r-denied', 'AccessDeniedError'],
  ])('calls %s once and does not retry its %s', async (id, typename) => {
    const { page, calls } = await backupsPage(harness, id, { first: 5 });

    expect(page.error).toMatchObject({ __typename: typename, retryable: false });
    expect(calls).toBe(1);
  });

  it('does not retry an argument upstream refuses', async () => {
    harness.emulator.setFault('r-ok', { Code: 'InvalidStartTime.Malformed', HttpStatus: 400 });
    const { page, calls } = await backupsPage(harness, 'r-ok', { first: 5 });

    expect(page.error).toMatchObject({ __typename: 'InvalidArgumentError', argument: 'startTime' });
    expect(calls).toBe(1);
  });
});

describe('the process-wide bound on upstream calls', () => {
  // Its own client: waiting for a slot counts against the deadline, which must not bite here.
  let bounded: Harness;
  let counter: UpstreamRecorder;

  beforeAll(async () => {
    counter = await startUpstreamRecorder();
    bounded = await startHarness({
      dataset: { instances: Object.fromEntries(MANY.map((id) => [id, instanceWith(5)])) },
      client: { endpoint: counter.url, maxConcurrency: 4 },
    });
    counter.target = bounded.emulator.url;
  });
  afterAll(async () => {
    await bounded.close();
    await counter.close();
  });

  it('keeps at most maxConcurrency calls in flight for one query over 100 instances', async () => {
    for (const id of MANY) {
      bounded.emulator.setFault(id, { LatencyMs: 30 });
    }
    const response = await bounded.query<{ instances: Array<{ backups: { totalCount: number } }> }>(
      'query Many($ids: [ID!]!) { instances(ids: $ids) { backups(first: 3) { totalCount } } }',
      { ids: MANY },
    );

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.instances.map((instance) => instance.backups.totalCount)).toEqual(
      MANY.map(() => 5),
    );
    expect(bounded.calls()).toBe(100);
    // Counted where the upstream sees them: between the client's sockets and the emulator.
    expect(counter.maxInFlight()).toBe(4);
  });
});

describe('partial results', () => {
  it('gives each instance its own typed result, within the deadline', async () => {
    harness.emulator.setFault('r-throttled', { Code: 'Throttling.Api', HttpStatus: 400 });
    harness.emulator.setFault('r-hang', { LatencyMs: 30_000 });
    const ids = ['r-ok', 'r-absent', 'r-denied', 'r-throttled', 'r-hang'];
    const started = performance.now();
    const response = await harness.query<{
      instances: Array<{
        id: string;
        backups: { totalCount: number | null; error: Record<string, unknown> | null };
      }>;
    }>(
      `query Mixed($ids: [ID!]!) {
        instances(ids: $ids) { id backups(first: 2) { totalCount error { ${ERROR_FIELDS} } } }
      }`,
      { ids },
    );
    const elapsed = performance.now() - started;

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    const byId = Object.fromEntries(
      response.body.data!.instances.map((instance) => [instance.id, instance.backups]),
    );
    expect(byId['r-ok']).toEqual({ totalCount: 12, error: null });
    expect(byId['r-absent']!.error).toMatchObject({
      __typename: 'InstanceNotFoundError',
      instanceId: 'r-absent',
    });
    expect(byId['r-denied']!.error).toMatchObject({ __typename: 'AccessDeniedError' });
    expect(byId['r-throttled']!.error).toMatchObject({
      __typename: 'ThrottledError',
      retryable: true,
    });
    expect(byId['r-hang']!.error).toMatchObject({
      __typename: 'UpstreamError',
      code: 'UPSTREAM_UNAVAILABLE',
      retryable: true,
    });
    expect(byId['r-hang']!.error!.message).toMatch(/timed out/);
    // The deadline bounds the hung instance's retries; a little slack for the last attempt.
    expect(elapsed).toBeLessThan(DEADLINE_MS + HANG_TIMEOUT_MS + 300);
  });
});
