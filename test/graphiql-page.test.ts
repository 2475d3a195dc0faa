import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { createGateway } from '../src/server.js';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ dataset: { instances: { 'r-page': instanceWith(3) } } });
});
afterAll(() => harness.close());

async function get(headers: Record<string, string>) {
  const response = await harness.gateway.fetch('http://gateway.test/graphql', { headers });

  return {
    status: response.status,
    encoding: response.headers.get('content-encoding'),
    vary: response.headers.get('vary'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

describe("GraphiQL's page", () => {
  it('is sent gzip-compressed to a browser that accepts gzip, and whole otherwise', async () => {
    const plain = await get({ accept: 'text/html' });
    const gzipped = await get({ accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' });

    expect([plain.status, plain.encoding, plain.vary]).toEqual([200, null, 'Accept-Encoding']);
    expect([gzipped.status, gzipped.encoding, gzipped.vary]).toEqual([
      200,
      'gzip',
      'Accept-Encoding',
    ]);
    expect(gunzipSync(gzipped.bytes).equals(plain.bytes)).toBe(true);
    // The page inlines GraphiQL's scripts: megabytes, of which gzip sends under a third.
    expect(plain.bytes.length).toBeGreaterThan(5_000_000);
    expect(gzipped.bytes.length).toBeLessThan(plain.bytes.length / 3);
  });

  it('is sent with gzip whatever order or weight a client gives brotli, which took seconds for it', async () => {
    const first = await get({ accept: 'text/html', 'accept-encoding': 'br;q=1, gzip;q=0.5' });
    const again = await get({ accept: 'text/html', 'accept-encoding': '*' });
    const brotliOnly = await get({ accept: 'text/html', 'accept-encoding': 'br, gzip;q=0' });

    expect([first.encoding, again.encoding, brotliOnly.encoding]).toEqual(['gzip', 'gzip', null]);
    expect(again.bytes.equals(first.bytes)).toBe(true);
  });

  it('is not served with GRAPHIQL=false', async () => {
    const gateway = createGateway({
      client: harness.client,
      logger: silentLogger,
      graphiql: false,
    });
    const response = await gateway.fetch('http://gateway.test/graphql', {
      headers: { accept: 'text/html' },
    });

    // An HTML-only Accept gets no GraphQL answer either: 406, with no body.
    expect([response.status, await response.text()]).toEqual([406, '']);
    expect(loadConfig({ GRAPHIQL: 'false' }).graphiql).toBe(false);
    expect(loadConfig({}).graphiql).toBe(true);
  });

  it('leaves GraphQL answers uncompressed whatever the client accepts', async () => {
    const response = await harness.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      body: JSON.stringify({ query: '{ instance(id: "r-page") { backups { totalCount } } }' }),
    });

    expect(response.headers.get('content-encoding')).toBeNull();
    expect(await response.json()).toEqual({
      data: { instance: { backups: { totalCount: 3 } } },
    });
  });
});
