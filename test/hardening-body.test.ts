import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';
import { type HttpServed, serveOverHttp } from './support/serve-http.js';

let harness: Harness;
let served: HttpServed;

beforeAll(async () => {
  harness = await startHarness({
    dataset: { instances: { 'r-body0000000001': instanceWith(3) } },
    gateway: { maxBodyBytes: 4096 },
  });
  served = await serveOverHttp(harness.gateway);
});
afterAll(async () => {
  await served.close();
  await harness.close();
});

/** A raw POST over HTTP, so the test chooses exactly what the framing headers say. */
function post(body: string, chunked = false): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      served.graphqlUrl,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(chunked ? {} : { 'content-length': Buffer.byteLength(body) }),
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    outgoing.on('error', reject);
    if (chunked) {
      // Written in two pieces before end(), Node frames the body chunked, without a length.
      outgoing.write(body.slice(0, 5));
      outgoing.end(body.slice(5));
    } else {
      outgoing.end(body);
    }
  });
}

describe('request bodies', () => {
  it('answers a body within the limit', async () => {
    const { status, text } = await post(JSON.stringify({ query: '{ __typename }' }));

    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a body over the limit with 413 naming the limit, before reading it', async () => {
    const body = JSON.stringify({ query: `{ __typename } # ${'x'.repeat(5000)}` });
    harness.resetCalls();
    const { status, text } = await post(body);

    expect(status).toBe(413);
    expect(JSON.parse(text)).toEqual({
      errors: [
        {
          message: `the request body is ${Buffer.byteLength(body)} bytes; the gateway reads at most 4096`,
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    expect(harness.calls()).toBe(0);
  });

  it('refuses a chunked body without a length with 411', async () => {
    const { status, text } = await post(JSON.stringify({ query: '{ __typename }' }), true);

    expect(status).toBe(411);
    expect(text).toContain('Content-Length');
  });
});
