import http from 'node:http';
import https from 'node:https';

/** Node's agents have `addRequest`; @types/node does not declare it. */
interface RequestAdder {
  addRequest(request: http.ClientRequest, options: unknown): void;
}

/** The keep-alive agent one client shares between its calls. */
export function createSharedAgent(endpoint: string): http.Agent {
  const options = { keepAlive: true, keepAliveMsecs: 3000 };

  return endpoint.startsWith('https:') ? new https.Agent(options) : new http.Agent(options);
}

/**
 * A per-call view of the shared agent that reports the HTTP status of the response. pop-core
 * throws a bare SyntaxError on a non-JSON body and so loses the status; this is how the client
 * still knows it (a proxy's HTML 502, say). Everything else goes to the shared agent untouched,
 * so keep-alive sockets stay pooled across calls.
 */
export function statusReportingAgent(
  shared: http.Agent,
  onStatus: (status: number) => void,
): http.Agent {
  const adder = shared as unknown as RequestAdder;

  return new Proxy(shared, {
    get(target, property) {
      if (property === 'addRequest') {
        return (request: http.ClientRequest, options: unknown) => {
          request.once('response', (response: http.IncomingMessage) => {
            if (response.statusCode !== undefined) {
              onStatus(response.statusCode);
            }
          });

          return adder.addRequest.call(target, request, options);
        };
      }
      const value: unknown = Reflect.get(target, property, target);

      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
