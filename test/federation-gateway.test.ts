import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoDataset, DEMO_INSTANCE_IDS } from '../src/emulator/demo-data.js';
import { silentLogger } from '../src/logger.js';
import { createGateway } from '../src/server.js';
import { type Router, type Served, serve, startRouter } from './support/federation-router.js';
import { type Harness, startHarness, TEST_NOW } from './support/gateway-harness.js';

const { standard, cluster, large } = DEMO_INSTANCE_IDS;

/** What the second subgraph owns about instances: nothing this gateway knows. */
const INVENTORY = [
  { id: standard, name: 'orders-cache', regionId: 'cn-hangzhou' },
  { id: cluster, name: 'sessions-cluster', regionId: 'cn-shanghai' },
  { id: large, name: 'metrics-buffer', regionId: 'cn-beijing' },
];

/** A second subgraph with its own Relay `node` (not shareable) and Backup references. */
const INVENTORY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  interface Node { id: ID! }

  type Instance implements Node @key(fields: "id") {
    id: ID!
    name: String!
    regionId: String!
  }

  type Backup implements Node @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type Query {
    node(id: ID!): Node
    inventory: [Instance!]!
    featuredBackups: [Backup!]!
  }
`;

interface BackupNode {
  id: string;
  backupId: string;
  type: string;
  startTime: string;
  sizeBytes: number | null;
}

const BACKUP_FIELDS = 'id backupId type startTime sizeBytes';

let harness: Harness;
let served: Served[] = [];
let router: Router;
let featured: BackupNode[];
let ourSdl: string;

async function listed(instanceId: string, first: number, includeAof = false) {
  const response = await harness.query<{
    instance: { backups: { edges: Array<{ node: BackupNode }> } };
  }>(
    `query ($id: ID!, $first: Int!, $aof: Boolean) {
      instance(id: $id) { backups(first: $first, filter: { includeAof: $aof }) { edges { node { ${BACKUP_FIELDS} } } } }
    }`,
    { id: instanceId, first, aof: includeAof },
  );

  return response.body.data!.instance.backups.edges.map((edge) => edge.node);
}

async function sdlOf(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = (await response.json()) as { data: { _service: { sdl: string } } };

  return body.data._service.sdl;
}

beforeAll(async () => {
  harness = await startHarness({ dataset: createDemoDataset() });
  const withAof = await listed(standard, 30, true);
  const shards = await listed(cluster, 10);
  featured = [
    withAof.find((backup) => backup.type === 'INCREMENTAL_BACKUP')!,
    shards[2]!,
    withAof.find((backup) => backup.type === 'FULL_BACKUP')!,
    shards[9]!,
  ];

  const tair = await serve(
    createGateway({
      client: harness.client,
      logger: silentLogger,
      now: () => TEST_NOW,
      schema: 'subgraph',
    }),
  );
  const inventorySchema = buildSubgraphSchema([
    {
      typeDefs: parse(INVENTORY_SDL),
      resolvers: {
        Query: {
          inventory: () => INVENTORY,
          featuredBackups: () => featured.map(({ id }) => ({ __typename: 'Backup', id })),
          node: (_root: unknown, { id }: { id: string }) => {
            if (id.startsWith('Backup:')) {
              return { __typename: 'Backup', id };
            }
            const instance = INVENTORY.find((candidate) => candidate.id === id);

            return instance ? { __typename: 'Instance', ...instance } : null;
          },
        },
        Node: { __resolveType: (value: { __typename: string }) => value.__typename },
        Instance: {
          __resolveReference: ({ id }: { id: string }) =>
            INVENTORY.find((candidate) => candidate.id === id) ?? null,
        },
      },
    },
  ]);
  const inventory = await serve(createYoga({ schema: inventorySchema, logging: false }));
  served = [tair, inventory];

  ourSdl = await sdlOf(tair.url);
  const composed = composeServices([
    { name: 'tair', typeDefs: parse(ourSdl), url: tair.url },
    { name: 'inventory', typeDefs: parse(await sdlOf(inventory.url)), url: inventory.url },
  ]);
  if (composed.errors) {
    throw new Error(
      `composition failed: ${composed.errors.map((error) => error.message).join('; ')}`,
    );
  }
  router = await startRouter(composed.supergraphSdl);
});

afterAll(async () => {
  await router?.close();
  await Promise.all(served.map((server) => server.close()));
  await harness.close();
});

describe('the subgraph in a supergraph with a second Relay subgraph', () => {
  it('composes with a subgraph that has its own non-shareable node and Node', () => {
    const composed = composeServices([
      { name: 'tair', typeDefs: parse(ourSdl), url: 'http://tair' },
      { name: 'inventory', typeDefs: parse(INVENTORY_SDL), url: 'http://inventory' },
    ]);

    expect(composed.errors).toBeUndefined();
    // `node` comes from the other subgraph alone.
    expect(composed.supergraphSdl).toMatch(
      /node\(id: ID!\): Node @join__field\(graph: INVENTORY\)\n/,
    );
  });

  it('lists backups of the instances another subgraph owns, one call per instance', async () => {
    const query = `backups(first: 3) { totalCount edges { node { id backupId } } }`;
    const direct = await harness.query<{ instances: Array<{ id: string; backups: unknown }> }>(
      `query ($ids: [ID!]!) { instances(ids: $ids) { id ${query} } }`,
      { ids: INVENTORY.map((instance) => instance.id) },
    );
    harness.resetCalls();

    const result = await router.query<{
      inventory: Array<{ id: string; name: string; regionId: string; backups: unknown }>;
    }>(`{ inventory { id name regionId ${query} } }`);

    expect(result.errors).toBeUndefined();
    expect(result.data!.inventory).toEqual(
      INVENTORY.map((instance, index) => ({
        ...instance,
        backups: direct.body.data!.instances[index]!.backups,
      })),
    );
    expect(result.data!.inventory[2]!.backups).toMatchObject({ totalCount: 450 });
    expect(harness.emulator.requests.map((request) => request.instanceId).sort()).toEqual(
      INVENTORY.map((instance) => instance.id).sort(),
    );
  });

  it('resolves Backup references of the other subgraph with one call per instance', async () => {
    harness.resetCalls();

    const result = await router.query<{
      featuredBackups: Array<BackupNode & { instance: { id: string; name: string } }>;
    }>(`{ featuredBackups { ${BACKUP_FIELDS} instance { id name } } }`);

    expect(result.errors).toBeUndefined();
    expect(result.data!.featuredBackups).toEqual([
      { ...featured[0], instance: { id: standard, name: 'orders-cache' } },
      { ...featured[1], instance: { id: cluster, name: 'sessions-cluster' } },
      { ...featured[2], instance: { id: standard, name: 'orders-cache' } },
      { ...featured[3], instance: { id: cluster, name: 'sessions-cluster' } },
    ]);
    const calls = harness.emulator.requests;
    expect(calls.map((call) => call.instanceId).sort()).toEqual([cluster, standard].sort());
    expect(calls.find((call) => call.instanceId === standard)!.params['NeedAof']).toBe('1');
  });

  it("looks a Backup up by id through the other subgraph's node and this subgraph's _entities", async () => {
    harness.resetCalls();

    const result = await router.query<{ node: BackupNode & { __typename: string } }>(
      `query ($id: ID!) { node(id: $id) { __typename ... on Backup { ${BACKUP_FIELDS} } } }`,
      { id: featured[1]!.id },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data!.node).toEqual({ __typename: 'Backup', ...featured[1] });
    expect(harness.calls()).toBe(1);
  });

  it("reaches an instance's backups from the other subgraph's node", async () => {
    const [newest] = await listed(cluster, 1);
    harness.resetCalls();

    const result = await router.query<{ node: { name: string; backups: unknown } }>(
      `{ node(id: "${cluster}") { ... on Instance { name backups(first: 1) { edges { node { backupId } } } } } }`,
    );

    expect(result.errors).toBeUndefined();
    expect(result.data!.node).toEqual({
      name: 'sessions-cluster',
      backups: { edges: [{ node: { backupId: newest!.backupId } }] },
    });
    expect(harness.calls()).toBe(1);
  });
});
