import type { CORSOptions, Plugin } from 'graphql-yoga';

/** Any origin, without credentials: CORS_ORIGINS=* */
export const ANY_ORIGIN = '*';

const METHODS = ['GET', 'POST'];
const ALLOWED_HEADERS = ['content-type', 'accept', 'x-request-id'];
const EXPOSED_HEADERS = ['x-request-id'];
/** Browsers cache a preflight answer this long (seconds). */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * Yoga's `cors` option for an origin allowlist. yoga's own default answers every origin, with
 * credentials; an operator expects the opposite, so:
 * - no origins (the default): no cross-origin access at all, no CORS header on any response;
 * - `['*']`: any origin may read answers, never with credentials (whatwg-node echoes the origin
 *   with `Vary: Origin` rather than sending a literal `*`; without credentials it is the same);
 * - a list: a listed origin is echoed with `Vary: Origin` and credentials allowed; any other
 *   origin gets no allow header, so its browser withholds the answer.
 * A preflight (OPTIONS) is answered 204 either way; only an allowed one carries allow headers.
 */
export function corsAllowlist(origins: readonly string[]): (request: Request) => CORSOptions {
  const allowed = new Set(origins);
  const shared = {
    methods: METHODS,
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_S,
  };

  return (request) => {
    if (allowed.has(ANY_ORIGIN)) {
      return { ...shared, origin: ANY_ORIGIN, credentials: false };
    }
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) {
      return false;
    }

    // whatwg-node echoes the request's Origin, adding `Vary: Origin`, for an origin holding '*';
    // it is only handed over once the origin is known to be allowed.
    return { ...shared, origin: [ANY_ORIGIN], credentials: true };
  };
}

/**
 * Parses CORS_ORIGINS: comma-separated origins (`https://console.example.com`) or `*` alone.
 * Throws a RangeError naming the entry that is not an origin.
 */
export function parseCorsOrigins(text: string | undefined): string[] {
  const entries = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const entry of entries) {
    if (entry === ANY_ORIGIN) {
      if (entries.length > 1) {
        throw new RangeError('CORS_ORIGINS takes either * alone or a list of origins, not both');
      }
      continue;
    }
    const origin = URL.canParse(entry) ? new URL(entry).origin : 'null';
    if (origin !== entry) {
      throw new RangeError(
        `CORS_ORIGINS entries must be origins like https://console.example.com (scheme, host, ` +
          `optional port; no path or trailing slash); got ${JSON.stringify(entry)}`,
      );
    }
  }

  return entries;
}

/**
 * With an allowlist, whether a response carries an allow header depends on the request's Origin,
 * so every response says so with `Vary: Origin`, refused origins' included: a shared cache must
 * not hand one origin's answer to another.
 */
export function useVaryOrigin(origins: readonly string[]): Plugin {
  return {
    onResponse({ request, response }) {
      if (origins.length === 0 || !request.headers.has('origin')) {
        return;
      }
      const vary = response.headers.get('vary') ?? '';
      if (!/(^|,)\s*origin\s*(,|$)/i.test(vary)) {
        response.headers.set('vary', vary ? `${vary}, Origin` : 'Origin');
      }
    },
  };
}
