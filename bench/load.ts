import autocannon from 'autocannon';

/** What one load run measured. */
export interface LoadResult {
  /** Successful (2xx) answers a second. */
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Requests answered with a status other than 2xx, errors and timeouts: all should be 0. */
  failures: number;
  total: number;
}

export interface LoadOptions {
  connections: number;
  durationS: number;
  /** A first, unrecorded run, so the server's JIT and pools are warm. */
  warmupS: number;
}

/**
 * Drives `url` with `connections` keep-alive connections POSTing `body`, as fast as it answers.
 * A function body is called with a counter for every request, so that requests can differ.
 */
export async function measureLoad(
  url: string,
  body: unknown,
  options: LoadOptions,
): Promise<LoadResult> {
  let counter = 0;
  const request = {
    url,
    connections: options.connections,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    ...(typeof body === 'function'
      ? {
          requests: [
            {
              setupRequest: (raw: Record<string, unknown>) => ({
                ...raw,
                body: JSON.stringify((body as (index: number) => unknown)(counter++)),
              }),
            },
          ],
        }
      : { body: JSON.stringify(body) }),
  };
  if (options.warmupS > 0) {
    await autocannon({ ...request, duration: options.warmupS });
  }
  const result = await autocannon({ ...request, duration: options.durationS });

  return {
    // Only successful answers count: a ceiling that fails fast must not look faster for it.
    requestsPerSecond: (result.requests.total - result.non2xx) / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    total: result.requests.total,
  };
}
