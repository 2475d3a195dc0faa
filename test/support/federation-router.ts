import { createHash } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { type ExecutionArgs, getOperationAST, print } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';

/** A request listener on 127.0.0.1, port 0. */
export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serve(listener: RequestListener): Promise<Served> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

type Executor = NonNullable<Awaited<ReturnType<ApolloGateway['load']>>['executor']>;
type RequestContext = Parameters<Executor>[0];

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export interface Router {
  query<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: Data; errors?: Array<{ message: string; extensions?: object }> }>;
  close(): Promise<void>;
}

/**
 * @apollo/gateway over a composed supergraph, behind yoga: yoga parses and validates against the
 * gateway's API schema, and the gateway's executor plans the operation and calls the subgraphs
 * over HTTP with its default RemoteGraphQLDataSource.
 */
export async function startRouter(supergraphSdl: string): Promise<Router> {
  const gateway = new ApolloGateway({ supergraphSdl, logger: quiet });
  const { schema, executor } = await gateway.load();
  const execute: Plugin = {
    onExecute({ setExecuteFn }) {
      setExecuteFn(async (args: ExecutionArgs) => {
        const source = print(args.document);
        // Only the fields the gateway reads; the rest of Apollo Server's context is unused.
        const context = {
          request: {
            query: source,
            operationName: args.operationName ?? undefined,
            variables: args.variableValues ?? {},
          },
          document: args.document,
          source,
          operationName: args.operationName ?? null,
          operation: getOperationAST(args.document, args.operationName)!,
          queryHash: createHash('sha256').update(source).digest('hex'),
          context: {},
          logger: quiet,
          metrics: {},
          schema,
        } as unknown as RequestContext;

        return executor!(context);
      });
    },
  };
  const yoga = createYoga({
    schema,
    logging: false,
    maskedErrors: false,
    plugins: [execute],
  });

  return {
    async query(query, variables) {
      const response = await yoga.fetch('http://router.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });

      return (await response.json()) as never;
    },
    close: () => gateway.stop(),
  };
}
