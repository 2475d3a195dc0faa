import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }

  return [];
}

describe('loadConfig', () => {
  it('runs demo mode with the documented defaults when nothing is set', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      logLevel: 'info',
      prettyLogs: false,
      mode: 'demo',
      upstream: null,
      upstreamTimeoutMs: 10_000,
      upstreamMaxAttempts: 3,
      upstreamDeadlineMs: 20_000,
      upstreamMaxConcurrency: 16,
      withholdDownloadUrls: false,
      emulatorData: null,
      schema: 'client',
      cacheTtlMs: 0,
      maxBodyBytes: 1024 * 1024,
      corsOrigins: [],
      ignoredVariables: [],
    });
  });

  it('uses pretty logs on a terminal unless LOG_PRETTY says otherwise', () => {
    expect(loadConfig({}, true).prettyLogs).toBe(true);
    expect(loadConfig({ LOG_PRETTY: 'false' }, true).prettyLogs).toBe(false);
    expect(loadConfig({ LOG_PRETTY: 'yes' }, false).prettyLogs).toBe(true);
    expect(loadConfig({ LOG_PRETTY: '1' }, false).prettyLogs).toBe(true);
  });

  it('selects cloud mode and the regional endpoint when an AccessKey pair is set', () => {
    const config = loadConfig({
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIexampleexample',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'example-secret',
      ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
    });

    expect(config.mode).toBe('cloud');
    expect(config.upstream).toEqual({
      endpoint: 'https://r-kvstore.cn-hangzhou.aliyuncs.com',
      credentials: {
        kind: 'static',
        accessKeyId: 'LTAIexampleexample',
        accessKeySecret: 'example-secret',
      },
    });
  });

  it("uses Alibaba Cloud's default credential chain for TAIR_MODE=cloud without keys", () => {
    const config = loadConfig({
      TAIR_MODE: 'cloud',
      TAIR_ENDPOINT: 'https://r-kvstore.example.com',
    });

    expect(config.upstream).toEqual({
      endpoint: 'https://r-kvstore.example.com',
      credentials: { kind: 'default-chain' },
    });
  });

  it('reads GRAPHQL_SCHEMA, WITHHOLD_DOWNLOAD_URLS and numbers', () => {
    const config = loadConfig({
      GRAPHQL_SCHEMA: 'subgraph',
      WITHHOLD_DOWNLOAD_URLS: 'yes',
      PORT: '0',
      UPSTREAM_MAX_CONCURRENCY: '4',
    });

    expect(config).toMatchObject({
      schema: 'subgraph',
      withholdDownloadUrls: true,
      port: 0,
      upstreamMaxConcurrency: 4,
    });
  });

  it('reports every bad variable at once, each by name with the value received', () => {
    const found = problems({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      UPSTREAM_TIMEOUT_MS: 'soon',
      WITHHOLD_DOWNLOAD_URLS: 'maybe',
      GRAPHQL_SCHEMA: 'supergraph',
    });

    expect(found).toEqual(
      expect.arrayContaining([
        'PORT must be an integer from 0 to 65535; got "70000"',
        expect.stringMatching(/^LOG_LEVEL must be one of .*; got "loud"$/),
        'UPSTREAM_TIMEOUT_MS must be an integer from 1 to 120000; got "soon"',
        'WITHHOLD_DOWNLOAD_URLS must be true or false (or 1/0, yes/no, on/off); got "maybe"',
        'GRAPHQL_SCHEMA must be client or subgraph; got "supergraph"',
      ]),
    );
    expect(found).toHaveLength(5);
  });

  it('reads a blank HOST, LOG_LEVEL, TAIR_MODE or GRAPHQL_SCHEMA as unset, as it does numbers', () => {
    const config = loadConfig({ HOST: '', LOG_LEVEL: ' ', TAIR_MODE: '', GRAPHQL_SCHEMA: '' });

    expect(config).toMatchObject({ host: '127.0.0.1', logLevel: 'info', schema: 'client' });
    expect(config.upstream).toBeNull();
  });

  it.each(['1e3', '0x1069', '0b1', '4000.0', '+4000', '4_000'])(
    'refuses PORT=%s: only decimal digits are read as a number',
    (port) => {
      expect(problems({ PORT: port })).toEqual([
        `PORT must be an integer from 0 to 65535; got ${JSON.stringify(port)}`,
      ]);
    },
  );

  it.each([
    'ftp://r-kvstore.example.com',
    'http://user:pass@127.0.0.1:1/path',
    'https://r-kvstore.example.com/?q=1',
    'https://r-kvstore.example.com/#top',
  ])('refuses TAIR_ENDPOINT %s in cloud mode, without echoing a password', (endpoint) => {
    const found = problems({ TAIR_MODE: 'cloud', TAIR_ENDPOINT: endpoint });

    expect(found).toEqual([
      endpoint.startsWith('ftp:')
        ? `TAIR_ENDPOINT must be an http(s) URL; received "${endpoint}"`
        : 'TAIR_ENDPOINT must be an http(s) URL without a user name, password, query or fragment',
    ]);
  });

  it.each([
    [{ TAIR_ENDPOINT: 'https://r-kvstore.example.com' }, 'demo', ['TAIR_ENDPOINT']],
    [{ ALIBABA_CLOUD_SECURITY_TOKEN: 'STS.token' }, 'demo', ['ALIBABA_CLOUD_SECURITY_TOKEN']],
    [
      {
        TAIR_MODE: 'demo',
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'id',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's',
      },
      'demo',
      ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
    ],
    [{ TAIR_MODE: 'cloud', EMULATOR_DATA: 'data.json' }, 'cloud', ['EMULATOR_DATA']],
    [{ TAIR_MODE: 'cloud', TAIR_ENDPOINT: 'https://r-kvstore.example.com' }, 'cloud', []],
  ])('lists the variables %j that %s mode does not read', (env, mode, ignored) => {
    expect(loadConfig(env)).toMatchObject({ mode, ignoredVariables: ignored });
  });

  it('names the missing half of an AccessKey pair', () => {
    expect(problems({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIexampleexample' })).toEqual([
      expect.stringContaining('ALIBABA_CLOUD_ACCESS_KEY_SECRET'),
    ]);
  });
});
