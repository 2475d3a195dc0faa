import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A handler served over real HTTP on a loopback port. */
export interface HttpServed {
  /** e.g. `http://127.0.0.1:40123` */
  origin: string;
  /** `${origin}/graphql` */
  graphqlUrl: string;
  close(): Promise<void>;
}

/**
 * Serves `handler` (a yoga gateway is one) on 127.0.0.1, port 0, so frontend clients and the
 * browser cross the same HTTP path a deployment's clients do, not `yoga.fetch()`.
 */
export async function serveOverHttp(handler: RequestListener): Promise<HttpServed> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    graphqlUrl: `${origin}/graphql`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
