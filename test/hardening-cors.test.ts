import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { createGateway } from '../src/server.js';
import { createTairClient } from '../src/tair/client.js';

const CONSOLE = 'https://console.example.com';
const ADMIN = 'https://admin.example.com:8443';
const STRANGER = 'https://evil.example.net';

// No call is made in these tests: the client only has to exist.
const client = createTairClient({
  endpoint: 'http://127.0.0.1:9',
  credentials: { kind: 'static', accessKeyId: 'LTAI-cors-test', accessKeySecret: 'unused' },
});

function gatewayAllowing(corsOrigins?: string[]) {
  return createGateway({ client, logger: silentLogger, ...(corsOrigins ? { corsOrigins } : {}) });
}

async function post(corsOrigins: string[] | undefined, origin: string | null) {
  return gatewayAllowing(corsOrigins).fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(origin ? { origin } : {}),
    },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
}

async function preflight(corsOrigins: string[] | undefined, origin: string) {
  return gatewayAllowing(corsOrigins).fetch('http://gateway.test/graphql', {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
}

describe('CORS', () => {
  it('allows no cross-origin reads by default: no CORS header at all', async () => {
    const response = await post(undefined, CONSOLE);

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('echoes a listed origin with credentials and Vary: Origin', async () => {
    const response = await post([CONSOLE, ADMIN], ADMIN);

    expect(response.headers.get('access-control-allow-origin')).toBe(ADMIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  it('echoes the only listed origin with Vary: Origin too', async () => {
    const response = await post([CONSOLE], CONSOLE);

    expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  it('gives an unknown origin no allow header, while still answering', async () => {
    const response = await post([CONSOLE, ADMIN], STRANGER);

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    // The answer depends on Origin, so caches must key on it.
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  it('answers a same-origin request (no Origin) without CORS headers', async () => {
    const response = await post([CONSOLE], null);

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers the preflight of a listed origin with methods, headers and max age', async () => {
    const response = await preflight([CONSOLE], CONSOLE);

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'content-type, accept, x-request-id',
    );
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it('answers the preflight of an unknown origin without any allow header', async () => {
    const response = await preflight([CONSOLE], STRANGER);

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('allows any origin without credentials for CORS_ORIGINS=*', async () => {
    const response = await post(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins, STRANGER);

    expect(response.headers.get('access-control-allow-origin')).toBe(STRANGER);
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('CORS_ORIGINS', () => {
  it('reads a comma-separated list of origins', () => {
    expect(loadConfig({ CORS_ORIGINS: ` ${CONSOLE} , ${ADMIN},` }).corsOrigins).toEqual([
      CONSOLE,
      ADMIN,
    ]);
  });

  it.each([
    ['https://console.example.com/', 'https://console.example.com/'],
    ['console.example.com', 'console.example.com'],
    ['https://a.example.com/graphql', 'https://a.example.com/graphql'],
  ])('refuses %j, naming the variable and the entry', (value, entry) => {
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(
      `CORS_ORIGINS entries must be origins like https://console.example.com (scheme, host, optional port; no path or trailing slash); got ${JSON.stringify(entry)}`,
    );
  });

  it('refuses * mixed with origins', () => {
    expect(() => loadConfig({ CORS_ORIGINS: `*,${CONSOLE}` })).toThrow(/either \* alone/);
  });
});
