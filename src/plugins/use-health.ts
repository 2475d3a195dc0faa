import type { Plugin } from 'graphql-yoga';

/** Where a process is in its life, as `/readyz` reports it. */
export type ReadinessState = 'starting' | 'ready' | 'stopping';

/**
 * The readiness of one gateway process. `main.ts` marks it ready once the HTTP server listens
 * (and, in demo mode, the emulator serves), and stopping on SIGTERM, so a load balancer stops
 * routing to it while in-flight requests finish.
 */
export class Readiness {
  #state: ReadinessState;

  /** @param state @default 'starting' */
  constructor(state: ReadinessState = 'starting') {
    this.#state = state;
  }

  get state(): ReadinessState {
    return this.#state;
  }

  markReady(): void {
    if (this.#state === 'starting') {
      this.#state = 'ready';
    }
  }

  /** Final: a stopping process never becomes ready again. */
  markStopping(): void {
    this.#state = 'stopping';
  }
}

/** Options of {@link useHealth}. */
export interface HealthPluginOptions {
  readiness: Readiness;
  /** @default '/healthz' */
  livenessEndpoint?: string;
  /** @default '/readyz' */
  readinessEndpoint?: string;
}

/** 405 for a probe or `/metrics` asked with anything but GET or HEAD. */
export function methodNotAllowed(fetchAPI: { Response: typeof Response }): Response {
  return new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
}

/**
 * `GET /healthz`: 200 while the process can answer HTTP at all (liveness). `GET /readyz`: 200
 * when ready, 503 while starting or stopping (readiness). Both answer JSON `{ "status": … }`.
 */
export function useHealth(options: HealthPluginOptions): Plugin {
  const liveness = options.livenessEndpoint ?? '/healthz';
  const readinessEndpoint = options.readinessEndpoint ?? '/readyz';

  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== liveness && url.pathname !== readinessEndpoint) {
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(methodNotAllowed(fetchAPI));
        return;
      }
      const answer = (status: number, body: Record<string, string>) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status,
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
          }),
        );

      if (url.pathname === liveness) {
        answer(200, { status: 'alive' });
      } else if (url.pathname === readinessEndpoint) {
        const state = options.readiness.state;
        answer(state === 'ready' ? 200 : 503, { status: state });
      }
    },
  };
}
