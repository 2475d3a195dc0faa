import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDemoDataset, DEMO_INSTANCE_IDS } from '../src/emulator/demo-data.js';
import type { UpstreamCallEvent } from '../src/tair/client.js';
import { ThrottledError } from '../src/tair/errors.js';
import {
  clientHarness,
  expectNoSecrets,
  failure,
  WIDE_WINDOW,
} from './fixtures/client-emulator.js';
import { capturingLogger } from './fixtures/client-logger.js';

const FAULTY = DEMO_INSTANCE_IDS.empty;
const INPUT = { instanceId: FAULTY, ...WIDE_WINDOW };
// Slow answers land in the emulator's log only once answered, after the test: they get their own
// instance so they cannot show up in another test's call count.
const SLOW = DEMO_INSTANCE_IDS.cluster;
const SLOW_INPUT = { instanceId: SLOW, ...WIDE_WINDOW };

let harness: Awaited<ReturnType<typeof clientHarness>>;

beforeAll(async () => {
  harness = await clientHarness(createDemoDataset());
});

afterAll(async () => {
  await harness.stop();
});

beforeEach(() => {
  harness.emulator.setFault(FAULTY, null);
  harness.emulator.setFault(SLOW, { LatencyMs: 2000 });
  harness.emulator.clearRequests();
});

describe('TairClient.describeBackups retries and timeouts against the emulator', () => {
  it('succeeds on the third attempt after two Throttling.User answers, logging the retries', async () => {
    harness.emulator.setFault(FAULTY, { Code: 'Throttling.User', HttpStatus: 400, Times: 2 });
    const capture = capturingLogger();
    const events: UpstreamCallEvent[] = [];
    const page = await harness
      .client({ logger: capture.logger, onUpstreamCall: (event) => events.push(event) })
      .describeBackups(INPUT);

    expect(page.totalCount).toBe(0);
    expect(harness.callsFor(FAULTY).map((record) => record.code)).toEqual([
      'Throttling.User',
      'Throttling.User',
      null,
    ]);
    expect(events.map((event) => [event.attempt, event.outcome])).toEqual([
      [1, 'THROTTLED'],
      [2, 'THROTTLED'],
      [3, 'ok'],
    ]);
    const retries = capture.lines.filter((line) => line.msg === 'retrying DescribeBackups');
    expect(retries.map((line) => [line.level, line.attempt, line.upstreamCode])).toEqual([
      [40, 1, 'Throttling.User'],
      [40, 2, 'Throttling.User'],
    ]);
    expect(retries[0]).toMatchObject({
      instanceId: FAULTY,
      code: 'THROTTLED',
      delayMs: expect.any(Number),
    });
    expect(capture.text()).not.toContain(harness.emulator.accessKeyId);
  });

  it('gives up an always-throttled call with a retryable ThrottledError after maxAttempts calls', async () => {
    harness.emulator.setFault(FAULTY, { Code: 'Throttling.User', HttpStatus: 400 });
    const error = await failure(harness.client({ maxAttempts: 4 }).describeBackups(INPUT));

    expect(error).toBeInstanceOf(ThrottledError);
    expect(error.retryable).toBe(true);
    expect(harness.callsFor(FAULTY)).toHaveLength(4);
  });

  it('waits a full-jitter delay below min(maxDelayMs, baseDelayMs * 2^n) before each retry', async () => {
    harness.emulator.setFault(FAULTY, { Code: 'Throttling', HttpStatus: 400 });
    const capture = capturingLogger();
    await failure(
      harness
        .client({ logger: capture.logger, maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 50 })
        .describeBackups(INPUT),
    );
    const delays = capture.lines
      .filter((line) => line.msg === 'retrying DescribeBackups')
      .map((line) => line.delayMs as number);

    expect(delays).toHaveLength(3);
    const ceilings = [20, 40, 50];
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(ceilings[index] as number);
    });
  });

  it('maps a reset connection to UPSTREAM_UNAVAILABLE', async () => {
    harness.emulator.setFault(FAULTY, { Reset: true });
    const error = await failure(harness.client({ maxAttempts: 2 }).describeBackups(INPUT));

    expect([error.code, error.retryable]).toEqual(['UPSTREAM_UNAVAILABLE', true]);
    expect(error.message).toMatch(/could not be reached or dropped the connection \(E[A-Z]+\)/);
    expect(harness.callsFor(FAULTY)).toHaveLength(2);
    expectNoSecrets(error, harness.emulator);
  });

  it('times out a slow answer after timeoutMs', async () => {
    const started = performance.now();
    const error = await failure(
      harness.client({ timeoutMs: 300, maxAttempts: 1 }).describeBackups(SLOW_INPUT),
    );
    const elapsed = performance.now() - started;

    expect([error.code, error.retryable]).toEqual(['UPSTREAM_UNAVAILABLE', true]);
    expect(error.message).toBe('the upstream call timed out after 300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1500);
  });

  it('cuts the attempt timeout to the deadline and starts no attempt past it', async () => {
    const events: UpstreamCallEvent[] = [];
    const started = performance.now();
    const error = await failure(
      harness
        .client({
          timeoutMs: 10_000,
          deadlineMs: 400,
          maxAttempts: 5,
          onUpstreamCall: (event) => events.push(event),
        })
        .describeBackups(SLOW_INPUT),
    );
    const elapsed = performance.now() - started;

    expect(error.message).toMatch(
      /^the upstream call timed out after (39\d|400) ms, what was left of the 400 ms deadline$/,
    );
    expect(elapsed).toBeLessThan(1500);
    expect(events.map((event) => [event.attempt, event.outcome])).toEqual([
      [1, 'UPSTREAM_UNAVAILABLE'],
    ]);
  });
});
