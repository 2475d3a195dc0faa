import credentialsModule from '@alicloud/credentials';
import { CredentialsError, InvalidArgumentError } from './errors.js';

/** Credentials set explicitly, e.g. from the environment. */
export interface StaticCredentials {
  kind: 'static';
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** Alibaba Cloud's default chain: profile file, ECS RAM role, OIDC, credentials URI. */
export interface DefaultChainCredentials {
  kind: 'default-chain';
}

/** One set of credentials, as pop-core's `credentialsProvider` hands them out. */
export interface ResolvedCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string | undefined;
}

/** Anything with pop-core's `credentialsProvider` interface. */
export interface CredentialsProvider {
  getCredentials(): Promise<ResolvedCredentials>;
}

export type CredentialsSource = StaticCredentials | DefaultChainCredentials;

/** Where the upstream lives and how the client signs, as the environment says. */
export interface UpstreamSettings {
  endpoint: string;
  credentials: CredentialsSource;
}

export const CENTRAL_ENDPOINT = 'https://r-kvstore.aliyuncs.com';

const REGION_ID = /^[a-z0-9-]+$/;

type Env = Record<string, string | undefined>;

function present(env: Env, name: string): string | undefined {
  const value = env[name];

  return value !== undefined && value.length > 0 ? value : undefined;
}

function endpointFrom(env: Env): string {
  const endpoint = present(env, 'TAIR_ENDPOINT');
  if (endpoint !== undefined) {
    const url = URL.canParse(endpoint) ? new URL(endpoint) : null;
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
      throw new InvalidArgumentError(
        'TAIR_ENDPOINT',
        `TAIR_ENDPOINT must be an http(s) URL; received ${JSON.stringify(endpoint)}`,
      );
    }
    // The endpoint is logged at start: a password in it would be too, and pop-core would not
    // use one, nor a query or fragment.
    if (url.username || url.password || url.search || url.hash) {
      throw new InvalidArgumentError(
        'TAIR_ENDPOINT',
        'TAIR_ENDPOINT must be an http(s) URL without a user name, password, query or fragment',
      );
    }

    return endpoint;
  }
  const region = present(env, 'ALIBABA_CLOUD_REGION_ID');
  if (region !== undefined) {
    if (!REGION_ID.test(region)) {
      throw new InvalidArgumentError(
        'ALIBABA_CLOUD_REGION_ID',
        `ALIBABA_CLOUD_REGION_ID must match ${REGION_ID}; received ${JSON.stringify(region)}`,
      );
    }

    return `https://r-kvstore.${region}.aliyuncs.com`;
  }

  return CENTRAL_ENDPOINT;
}

/** True when the environment names an AccessKey pair; the gateway runs demo mode otherwise. */
export function hasExplicitCredentials(env: Env): boolean {
  return (
    present(env, 'ALIBABA_CLOUD_ACCESS_KEY_ID') !== undefined ||
    present(env, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET') !== undefined
  );
}

/**
 * Reads the endpoint and the credentials source from the environment. Pure: nothing is fetched.
 * A key id without its secret, or the reverse, is an InvalidArgumentError naming the missing
 * variable; so is a malformed TAIR_ENDPOINT or ALIBABA_CLOUD_REGION_ID.
 */
export function resolveUpstream(env: Env): UpstreamSettings {
  const endpoint = endpointFrom(env);
  const accessKeyId = present(env, 'ALIBABA_CLOUD_ACCESS_KEY_ID');
  const accessKeySecret = present(env, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  const securityToken = present(env, 'ALIBABA_CLOUD_SECURITY_TOKEN');
  if (accessKeyId === undefined && accessKeySecret === undefined) {
    return { endpoint, credentials: { kind: 'default-chain' } };
  }
  if (accessKeyId === undefined || accessKeySecret === undefined) {
    const missing =
      accessKeyId === undefined ? 'ALIBABA_CLOUD_ACCESS_KEY_ID' : 'ALIBABA_CLOUD_ACCESS_KEY_SECRET';
    const other =
      accessKeyId === undefined ? 'ALIBABA_CLOUD_ACCESS_KEY_SECRET' : 'ALIBABA_CLOUD_ACCESS_KEY_ID';
    throw new InvalidArgumentError(
      missing,
      `${missing} is not set, but ${other} is: set both or neither`,
    );
  }
  const credentials: StaticCredentials = { kind: 'static', accessKeyId, accessKeySecret };
  if (securityToken !== undefined) {
    credentials.securityToken = securityToken;
  }

  return { endpoint, credentials };
}

/** The default chain through @alicloud/credentials; its failures become a safe CredentialsError. */
function defaultChainProvider(): CredentialsProvider {
  // @alicloud/credentials is CommonJS with an `exports.default` class.
  const Credential = credentialsModule.default;
  let chain: InstanceType<typeof Credential> | null = null;

  return {
    async getCredentials() {
      try {
        chain ??= new Credential();
        const model = await chain.getCredential();
        if (!model.accessKeyId || !model.accessKeySecret) {
          throw new Error('incomplete');
        }

        return {
          accessKeyId: model.accessKeyId,
          accessKeySecret: model.accessKeySecret,
          securityToken: model.securityToken || undefined,
        };
      } catch {
        // The chain's own messages may quote profile contents or metadata answers: not passed on.
        throw new CredentialsError(
          'no usable credentials: the environment sets no AccessKey and the default credential chain (profile file, ECS RAM role, OIDC, credentials URI) found none',
        );
      }
    },
  };
}

/** A credentialsProvider for a static pair, the default chain, or a provider given as is. */
export function toCredentialsProvider(
  source: CredentialsSource | CredentialsProvider,
): CredentialsProvider {
  if ('getCredentials' in source) {
    return source;
  }
  if (source.kind === 'default-chain') {
    return defaultChainProvider();
  }
  const { accessKeyId, accessKeySecret, securityToken } = source;

  return { getCredentials: async () => ({ accessKeyId, accessKeySecret, securityToken }) };
}
