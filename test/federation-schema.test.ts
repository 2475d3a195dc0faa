import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema, printSubgraphSchema as printFederated } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createDemoDataset } from '../src/emulator/demo-data.js';
import { printGatewaySchema, printSubgraphSchema } from '../src/schema/print.js';
import { startHarness } from './support/gateway-harness.js';

const committed = readFileSync(new URL('../subgraph.graphql', import.meta.url), 'utf8');
const clientSdl = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

/** A Relay subgraph as another team would write it: its own `node`, Node and PageInfo. */
const RELAY_PARTNER = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable"])

  interface Node { id: ID! }

  type Team implements Node @key(fields: "id") { id: ID! name: String! }

  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type TeamEdge { cursor: String! node: Team! }
  type TeamConnection { edges: [TeamEdge!]! pageInfo: PageInfo! }

  type Query {
    node(id: ID!): Node
    teams(first: Int): TeamConnection!
  }
`;

function compose(...sdls: Array<[string, string]>) {
  return composeServices(
    sdls.map(([name, sdl]) => ({ name, typeDefs: parse(sdl), url: `http://${name}.test` })),
  );
}

describe('subgraph.graphql', () => {
  it('matches the subgraph schema the code builds (run `npm run schema` after changing it)', () => {
    expect(printSubgraphSchema()).toBe(committed);
  });

  it('prints identically after a parse → buildSubgraphSchema → print round trip', () => {
    const rebuilt = `${printFederated(buildSubgraphSchema([{ typeDefs: parse(committed) }]))}\n`;

    expect(rebuilt).toBe(committed);
  });

  it('links Federation 2.6 and keys Instance and Backup by id, without Query.node', () => {
    expect(
      committed.startsWith(
        'extend schema\n  @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable"])\n',
      ),
    ).toBe(true);
    expect(committed).toMatch(/\ntype Backup implements Node\n {2}@key\(fields: "id"\)\n\{/);
    expect(committed).toMatch(/\ntype Instance implements Node\n {2}@key\(fields: "id"\)\n\{/);
    expect(committed).toMatch(/\ntype PageInfo\n {2}@shareable\n\{/);
    expect(committed).toContain('\ninterface Node {');
    expect(committed).not.toMatch(/\bnode\(id:/);
  });

  it('is what `_service { sdl }` answers', async () => {
    const harness = await startHarness({
      dataset: createDemoDataset(),
      gateway: { schema: 'subgraph' },
    });
    try {
      const response = await harness.query<{ _service: { sdl: string } }>('{ _service { sdl } }');

      expect(`${response.body.data!._service.sdl}\n`).toBe(committed);
      expect(harness.calls()).toBe(0);
    } finally {
      await harness.close();
    }
  });
});

describe('schema.graphql next to the subgraph', () => {
  it('gains no federation types, fields or directives', () => {
    expect(printGatewaySchema()).toBe(clientSdl);
    for (const federationOnly of [
      '_Service',
      '_Entity',
      '_Any',
      '_entities',
      '_service',
      '@link',
      '@key',
      '@shareable',
      'FieldSet',
    ]) {
      expect(clientSdl).not.toContain(federationOnly);
    }
    expect(clientSdl).toMatch(/\n {2}node\(id: ID!\): Node\n/);
  });
});

describe('composition with another Relay subgraph', () => {
  it('composes with a subgraph that defines its own node, Node and shareable PageInfo', () => {
    const composed = compose(['tair', committed], ['teams', RELAY_PARTNER]);

    expect(composed.errors).toBeUndefined();
    expect(composed.supergraphSdl).toMatch(/node\(id: ID!\): Node @join__field\(graph: TEAMS\)\n/);
  });

  it('would not compose had it kept Query.node, which is why the subgraph leaves it out', () => {
    const withNode = committed.replace('type Query {\n', 'type Query {\n  node(id: ID!): Node\n');
    const composed = compose(['tair', withNode], ['teams', RELAY_PARTNER]);

    expect(composed.errors?.map((error) => error.message)).toEqual([
      expect.stringContaining(
        'Non-shareable field "Query.node" is resolved from multiple subgraphs',
      ),
    ]);
  });

  it("would hide every subgraph's node had it marked its own @inaccessible", () => {
    const hidden = committed
      .replace('"@shareable"]', '"@shareable", "@inaccessible"]')
      .replace('type Query {\n', 'type Query {\n  node(id: ID!): Node @shareable @inaccessible\n');
    const partner = RELAY_PARTNER.replace('node(id: ID!): Node', 'node(id: ID!): Node @shareable');
    const composed = compose(['tair', hidden], ['teams', partner]);

    expect(composed.errors).toBeUndefined();
    const api = composed.schema!.toAPISchema().toGraphQLJSSchema();
    expect(Object.keys(api.getQueryType()!.getFields()).sort()).toEqual([
      'instance',
      'instances',
      'teams',
    ]);
  });
});
