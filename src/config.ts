import { z } from 'zod';
import type { LogLevel } from './logger.js';
import { parseCorsOrigins } from './plugins/use-cors-allowlist.js';
import { DEFAULT_QUERY_LIMITS as LIMITS, type QueryLimits } from './plugins/use-query-limits.js';
import {
  hasExplicitCredentials,
  resolveUpstream,
  type UpstreamSettings,
} from './tair/credentials.js';
import { InvalidArgumentError } from './tair/errors.js';

type Env = Record<string, string | undefined>;

const integer = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined || text.trim() === '') {
        return fallback;
      }
      // Decimal digits only: Number() would also read 1e3, 0x1069 and 0b1 as integers.
      const value = /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isInteger(value) || value < min || value > max) {
        context.addIssue({
          code: 'custom',
          message: `${name} must be an integer from ${min} to ${max}; got ${JSON.stringify(text)}`,
        });

        return z.NEVER;
      }

      return value;
    });

const flag = (name: string) =>
  z
    .string()
    .optional()
    .transform((text, context) => {
      const normalised = (text ?? '').trim().toLowerCase();
      if (normalised === '') {
        return undefined;
      }
      if (['0', 'false', 'no', 'off'].includes(normalised)) {
        return false;
      }
      if (['1', 'true', 'yes', 'on'].includes(normalised)) {
        return true;
      }
      context.addIssue({
        code: 'custom',
        message: `${name} must be true or false (or 1/0, yes/no, on/off); got ${JSON.stringify(text)}`,
      });

      return z.NEVER;
    });

/** Unset, empty or blank: the variable's default. The same rule as for numbers and flags. */
const blank = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** One of `choices`, named with what was received when it is none of them. */
const choice = <const T extends readonly [string, ...string[]]>(name: string, choices: T) =>
  z.preprocess(
    blank,
    z
      .enum(choices, {
        error: (issue) =>
          `${name} must be ${choices.length === 2 ? choices.join(' or ') : `one of ${choices.join(', ')}`}; got ${JSON.stringify(issue.input)}`,
      })
      .optional(),
  );

const EnvSchema = z.object({
  PORT: integer('PORT', 0, 65_535, 4000),
  HOST: z.preprocess(blank, z.string().trim().optional()).transform((host) => host ?? '127.0.0.1'),
  LOG_LEVEL: choice('LOG_LEVEL', [
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const).transform((level) => level ?? 'info'),
  LOG_PRETTY: flag('LOG_PRETTY'),
  TAIR_MODE: choice('TAIR_MODE', ['demo', 'cloud'] as const),
  UPSTREAM_TIMEOUT_MS: integer('UPSTREAM_TIMEOUT_MS', 1, 120_000, 10_000),
  UPSTREAM_MAX_ATTEMPTS: integer('UPSTREAM_MAX_ATTEMPTS', 1, 10, 3),
  UPSTREAM_DEADLINE_MS: integer('UPSTREAM_DEADLINE_MS', 1, 300_000, 20_000),
  UPSTREAM_MAX_CONCURRENCY: integer('UPSTREAM_MAX_CONCURRENCY', 1, 1024, 16),
  WITHHOLD_DOWNLOAD_URLS: flag('WITHHOLD_DOWNLOAD_URLS'),
  GRAPHIQL: flag('GRAPHIQL'),
  CACHE_TTL_MS: integer('CACHE_TTL_MS', 0, 3_600_000, 0),
  CACHE_MAX_ROWS: integer('CACHE_MAX_ROWS', 1, 10_000_000, 50_000),
  EMULATOR_DATA: z.string().optional(),
  GRAPHQL_SCHEMA: choice('GRAPHQL_SCHEMA', ['client', 'subgraph'] as const).transform(
    (schema) => schema ?? 'client',
  ),
  MAX_BODY_BYTES: integer('MAX_BODY_BYTES', 1024, 64 * 1024 * 1024, 1024 * 1024),
  SHUTDOWN_GRACE_MS: integer('SHUTDOWN_GRACE_MS', 0, 600_000, 10_000),
  QUERY_MAX_DEPTH: integer('QUERY_MAX_DEPTH', 1, 100, LIMITS.maxDepth),
  QUERY_MAX_ALIASES: integer('QUERY_MAX_ALIASES', 0, 10_000, LIMITS.maxAliases),
  QUERY_MAX_TOKENS: integer('QUERY_MAX_TOKENS', 10, 1_000_000, LIMITS.maxTokens),
  QUERY_MAX_DIRECTIVES: integer('QUERY_MAX_DIRECTIVES', 0, 10_000, LIMITS.maxDirectives),
  QUERY_MAX_COST: integer('QUERY_MAX_COST', 1, 100_000_000, LIMITS.maxCost),
  QUERY_MAX_BATCH: integer('QUERY_MAX_BATCH', 0, 100, LIMITS.maxBatch),
  QUERY_COMPILE_AFTER: integer('QUERY_COMPILE_AFTER', 0, 1_000_000, 2),
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((text, context) => {
      try {
        return parseCorsOrigins(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });

        return z.NEVER;
      }
    }),
});

/** The gateway's configuration: read and validated once, at start. */
export interface GatewayConfig {
  port: number;
  host: string;
  logLevel: LogLevel;
  /** Human-readable log lines; default: when stdout is a terminal. */
  prettyLogs: boolean;
  /** `demo` runs the embedded emulator on the demo dataset (or EMULATOR_DATA). */
  mode: 'demo' | 'cloud';
  /** Where the cloud mode calls and how it signs; null in demo mode. */
  upstream: UpstreamSettings | null;
  upstreamTimeoutMs: number;
  upstreamMaxAttempts: number;
  upstreamDeadlineMs: number;
  upstreamMaxConcurrency: number;
  withholdDownloadUrls: boolean;
  /** GRAPHIQL: serve GraphiQL's page at the endpoint to browsers. */
  graphiql: boolean;
  emulatorData: string | null;
  /** `subgraph` serves the Federation 2 subgraph schema (with `_service` and `_entities`). */
  schema: 'client' | 'subgraph';
  /** MAX_BODY_BYTES: the largest request body the gateway reads. */
  maxBodyBytes: number;
  /** SHUTDOWN_GRACE_MS: how long requests in flight at SIGTERM may take before being cut. */
  shutdownGraceMs: number;
  /** QUERY_MAX_*: bounds on every GraphQL request. */
  queryLimits: QueryLimits;
  /** QUERY_COMPILE_AFTER: executions of a document before graphql-jit compiles it; 0: never. */
  compileQueriesAfter: number;
  /** CORS_ORIGINS: origins allowed cross-origin; empty: none; `['*']`: any, no credentials. */
  corsOrigins: string[];
  /** How long an upstream answer is served to other requests; 0 turns the cache off. */
  cacheTtlMs: number;
  /** Backup rows the cache holds at most, over all its pages. */
  cacheMaxRows: number;
  /** Variables that are set but that the chosen mode does not read, to warn of at start. */
  ignoredVariables: string[];
}

/** Variables only one of the modes reads. */
const CLOUD_ONLY = [
  'TAIR_ENDPOINT',
  'ALIBABA_CLOUD_REGION_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
] as const;
const DEMO_ONLY = ['EMULATOR_DATA'] as const;

/** Thrown with every problem of the environment at once, each naming its variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment. Demo mode unless AccessKey variables are set or TAIR_MODE=cloud
 * (which uses Alibaba Cloud's default credential chain when no keys are set).
 */
export function loadConfig(env: Env, isTerminal = false): GatewayConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  }

  const values = parsed.data;
  const mode = values.TAIR_MODE ?? (hasExplicitCredentials(env) ? 'cloud' : 'demo');
  let upstream: UpstreamSettings | null = null;
  if (mode === 'cloud') {
    try {
      upstream = resolveUpstream(env);
    } catch (error) {
      throw new ConfigError([
        error instanceof InvalidArgumentError ? error.message : String(error),
      ]);
    }
  }

  return {
    port: values.PORT,
    host: values.HOST,
    logLevel: values.LOG_LEVEL,
    prettyLogs: values.LOG_PRETTY ?? isTerminal,
    mode,
    upstream,
    upstreamTimeoutMs: values.UPSTREAM_TIMEOUT_MS,
    upstreamMaxAttempts: values.UPSTREAM_MAX_ATTEMPTS,
    upstreamDeadlineMs: values.UPSTREAM_DEADLINE_MS,
    upstreamMaxConcurrency: values.UPSTREAM_MAX_CONCURRENCY,
    withholdDownloadUrls: values.WITHHOLD_DOWNLOAD_URLS ?? false,
    graphiql: values.GRAPHIQL ?? true,
    emulatorData: values.EMULATOR_DATA ?? null,
    schema: values.GRAPHQL_SCHEMA,
    maxBodyBytes: values.MAX_BODY_BYTES,
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
    queryLimits: {
      maxDepth: values.QUERY_MAX_DEPTH,
      maxAliases: values.QUERY_MAX_ALIASES,
      maxTokens: values.QUERY_MAX_TOKENS,
      maxDirectives: values.QUERY_MAX_DIRECTIVES,
      maxCost: values.QUERY_MAX_COST,
      maxBatch: values.QUERY_MAX_BATCH,
    },
    compileQueriesAfter: values.QUERY_COMPILE_AFTER,
    corsOrigins: values.CORS_ORIGINS,
    cacheTtlMs: values.CACHE_TTL_MS,
    ignoredVariables: (mode === 'demo' ? CLOUD_ONLY : DEMO_ONLY).filter(
      (name) => (env[name] ?? '') !== '',
    ),
    cacheMaxRows: values.CACHE_MAX_ROWS,
  };
}
