import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  CENTRAL_ENDPOINT,
  hasExplicitCredentials,
  resolveUpstream,
  toCredentialsProvider,
} from '../src/tair/credentials.js';
import { CredentialsError, InvalidArgumentError } from '../src/tair/errors.js';

const KEY = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret' };

function refusal(env: Record<string, string | undefined>): InvalidArgumentError {
  try {
    resolveUpstream(env);
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      return error;
    }
    throw error;
  }
  throw new Error('accepted');
}

describe('resolveUpstream', () => {
  it('uses the central endpoint and the default chain when nothing is set', () => {
    expect(resolveUpstream({})).toStrictEqual({
      endpoint: CENTRAL_ENDPOINT,
      credentials: { kind: 'default-chain' },
    });
  });

  it('treats empty variables as unset', () => {
    expect(
      resolveUpstream({
        TAIR_ENDPOINT: '',
        ALIBABA_CLOUD_ACCESS_KEY_ID: '',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: '',
      }),
    ).toStrictEqual({ endpoint: CENTRAL_ENDPOINT, credentials: { kind: 'default-chain' } });
  });

  it('builds the regional endpoint from ALIBABA_CLOUD_REGION_ID', () => {
    expect(resolveUpstream({ ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou' }).endpoint).toBe(
      'https://r-kvstore.cn-hangzhou.aliyuncs.com',
    );
  });

  it('prefers TAIR_ENDPOINT over the region', () => {
    expect(
      resolveUpstream({
        TAIR_ENDPOINT: 'http://127.0.0.1:8080',
        ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou',
      }).endpoint,
    ).toBe('http://127.0.0.1:8080');
  });

  it('returns a static pair, with the token when one is set', () => {
    expect(resolveUpstream(KEY).credentials).toStrictEqual({
      kind: 'static',
      accessKeyId: 'LTAI-id',
      accessKeySecret: 'secret',
    });
    expect(
      resolveUpstream({ ...KEY, ALIBABA_CLOUD_SECURITY_TOKEN: 'sts' }).credentials,
    ).toStrictEqual({
      kind: 'static',
      accessKeyId: 'LTAI-id',
      accessKeySecret: 'secret',
      securityToken: 'sts',
    });
  });

  it.each([
    [{ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-id' }, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
    [{ ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret' }, 'ALIBABA_CLOUD_ACCESS_KEY_ID'],
    [{ TAIR_ENDPOINT: 'ftp://host' }, 'TAIR_ENDPOINT'],
    [{ TAIR_ENDPOINT: 'r-kvstore.aliyuncs.com' }, 'TAIR_ENDPOINT'],
    [{ ALIBABA_CLOUD_REGION_ID: 'CN_Hangzhou' }, 'ALIBABA_CLOUD_REGION_ID'],
  ])('refuses %j naming %s', (env, variable) => {
    const error = refusal(env);

    expect(error.argument).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it('never puts the secret into a refusal message', () => {
    expect(refusal({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'very-secret' }).message).not.toContain(
      'very-secret',
    );
  });
});

describe('hasExplicitCredentials', () => {
  it('is true only when an AccessKey variable is set', () => {
    expect(hasExplicitCredentials({})).toBe(false);
    expect(hasExplicitCredentials({ ALIBABA_CLOUD_REGION_ID: 'cn-hangzhou' })).toBe(false);
    expect(hasExplicitCredentials({ ALIBABA_CLOUD_ACCESS_KEY_ID: '' })).toBe(false);
    expect(hasExplicitCredentials(KEY)).toBe(true);
  });
});

describe('toCredentialsProvider', () => {
  it('hands out a static pair as pop-core expects', async () => {
    const provider = toCredentialsProvider({
      kind: 'static',
      accessKeyId: 'id',
      accessKeySecret: 'secret',
      securityToken: 'sts',
    });

    await expect(provider.getCredentials()).resolves.toStrictEqual({
      accessKeyId: 'id',
      accessKeySecret: 'secret',
      securityToken: 'sts',
    });
  });

  it('passes a given provider through untouched', () => {
    const provider = { getCredentials: async () => ({ accessKeyId: 'a', accessKeySecret: 'b' }) };

    expect(toCredentialsProvider(provider)).toBe(provider);
  });
});

describe('toCredentialsProvider with the default chain', () => {
  it('turns a chain that finds nothing into a CredentialsError with a safe message', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tair-credentials-'));
    const broken = join(empty, 'credentials');
    writeFileSync(broken, '[default]\ntype = nonsense\naccess_key_secret = leaked-secret\n');
    vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_ID', '');
    vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', '');
    vi.stubEnv('ALIBABA_CLOUD_CREDENTIALS_FILE', broken);
    vi.stubEnv('ALIBABA_CLOUD_ECS_METADATA_DISABLED', 'true');
    vi.stubEnv('HOME', empty);
    try {
      const provider = toCredentialsProvider({ kind: 'default-chain' });
      const error = await provider.getCredentials().then(
        () => null,
        (failure: unknown) => failure,
      );

      expect(error).toBeInstanceOf(CredentialsError);
      expect((error as CredentialsError).message).toMatch(/^no usable credentials/);
      expect(JSON.stringify(error)).not.toContain('leaked-secret');
      expect((error as CredentialsError).cause).toBeUndefined();
    } finally {
      vi.unstubAllEnvs();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
