import { GraphQLObjectType, GraphQLSchema, GraphQLString, GraphQLUnionType } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createDemoDataset, DEMO_INSTANCE_IDS } from '../src/emulator/demo-data.js';
import { silentLogger } from '../src/logger.js';
import { encodeBackupId } from '../src/paging/global-id.js';
import { useCompiledExecution } from '../src/plugins/use-compiled-execution.js';
import { createGatewayMetrics } from '../src/plugins/use-metrics.js';
import { createGateway, exampleQuery, type Gateway } from '../src/server.js';
import { type Harness, postQuery, startHarness, TEST_NOW } from './support/gateway-harness.js';

/**
 * The gateway runs a document with graphql-yoga's interpreter until its QUERY_COMPILE_AFTER-th
 * execution, then compiled by graphql-jit. Clients must not be able to tell which one answered:
 * each case below runs under both and must give the same status and the same body.
 */
const { standard, cluster, denied, example } = DEMO_INSTANCE_IDS;

let harness: Harness;
const gateways: Record<string, Gateway> = {};

beforeAll(async () => {
  const dataset = createDemoDataset();
  dataset.instances['r-huge'] = {
    Backups: [{ BackupId: 1, BackupStartTime: '2026-11-30T10:00:00Z', BackupSize: 2n ** 53n + 1n }],
  };
  harness = await startHarness({ dataset });
  for (const schema of ['client', 'subgraph'] as const) {
    for (const compileQueriesAfter of [0, 1]) {
      gateways[`${schema} ${compileQueriesAfter}`] = createGateway({
        client: harness.client,
        logger: silentLogger,
        now: () => TEST_NOW,
        schema,
        compileQueriesAfter,
      });
    }
  }
});
afterAll(() => harness.close());

async function post(gateway: Gateway, query: string, variables?: Record<string, unknown>) {
  const { status, text } = await postQuery(gateway, query, variables);

  return { status, body: JSON.parse(text) as Record<string, unknown> };
}

type Answer = Awaited<ReturnType<typeof post>>;

/** The same operation under the interpreter and compiled; the compiled answer, checked equal. */
async function bothWays(
  schema: 'client' | 'subgraph',
  query: string,
  variables?: Record<string, unknown>,
): Promise<Answer & { interpreted: Answer }> {
  const interpreted = await post(gateways[`${schema} 0`]!, query, variables);
  const compiled = await post(gateways[`${schema} 1`]!, query, variables);
  expect(compiled).toEqual(interpreted);

  return { ...compiled, interpreted };
}

const EDGES = `edges { cursor node { id backupId jobId instance { id } status type mode method
  startTime endTime expiresAt sizeBytes downloadUrl intranetDownloadUrl nodeId databases
  engineVersion recoverConfig { whitelist config account } } }`;

describe('graphql-jit against the interpreter', () => {
  it("answers GraphiQL's example query alike", async () => {
    const answer = await bothWays('client', exampleQuery(example));

    expect(answer.status).toBe(200);
    expect(answer.body).not.toHaveProperty('errors');
  });

  it('answers a page with every Backup field, and its pageInfo, alike', async () => {
    const answer = await bothWays(
      'client',
      `query P($id: ID!, $n: Int) { instance(id: $id) { id backups(first: $n) {
        totalCount window { startTime endTime } pageInfo { hasNextPage hasPreviousPage
        startCursor endCursor } ${EDGES} error { code } } } }`,
      { id: cluster, n: 7 },
    );
    const page = (answer.body as { data: { instance: { backups: { edges: unknown[] } } } }).data
      .instance.backups;

    expect(page.edges).toHaveLength(7);
  });

  it('resolves the typed error unions alike', async () => {
    const answer = await bothWays(
      'client',
      `{ instance(id: "${denied}") {
        backupStorage { __typename ... on Error { code message retryable } }
        backups(first: 2) { edges { cursor } error { __typename code retryable
          ... on AccessDeniedError { authAction noPermissionType } } } } }`,
    );

    expect(answer.body).toMatchObject({
      data: {
        instance: {
          backupStorage: { __typename: 'AccessDeniedError', code: 'ACCESS_DENIED' },
          backups: { edges: [], error: { __typename: 'AccessDeniedError' } },
        },
      },
    });
  });

  it('resolves node(id:) through the Node interface alike', async () => {
    const listed = await post(
      gateways['client 0']!,
      `{ instance(id: "${standard}") { id backups(first: 1) { edges { node { id } } } } }`,
    );
    const instance = (
      listed.body as {
        data: { instance: { id: string; backups: { edges: Array<{ node: { id: string } }> } } };
      }
    ).data.instance;
    const answer = await bothWays(
      'client',
      `query N($backup: ID!, $instance: ID!) {
        backup: node(id: $backup) { __typename id ... on Backup { backupId status } }
        instance: node(id: $instance) { __typename id ... on Instance { backups(first: 1) { totalCount } } }
      }`,
      { backup: instance.backups.edges[0]!.node.id, instance: instance.id },
    );

    expect(answer.body).toMatchObject({
      data: {
        backup: { __typename: 'Backup' },
        instance: { __typename: 'Instance', id: instance.id },
      },
    });
  });

  it('answers instances(ids:) with repeats alike', async () => {
    await bothWays(
      'client',
      `query M($ids: [ID!]!) { instances(ids: $ids) { id backups(first: 3) {
        edges { node { backupId } } } } }`,
      { ids: [standard, cluster, standard] },
    );
  });

  it('gives a field error its path and its locations in the document', async () => {
    const query =
      '{ instance(id: "r-huge") {\n  backups { edges { node { backupId sizeBytes } } } } }';
    const answer = await bothWays('client', query);

    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        path: ['instance', 'backups', 'edges', 0, 'node', 'sizeBytes'],
        locations: [{ line: 2, column: 37 }],
        extensions: expect.objectContaining({ code: 'UPSTREAM_VALUE_OUT_OF_RANGE' }),
      }),
    ]);
  });

  it.each([
    [
      'an Int out of range',
      'query P($n: Int) { instance(id: "x") { backups(first: $n) { totalCount } } }',
      { n: 2 ** 31 },
    ],
    [
      'a DateTime without an offset',
      'query W($s: DateTime) { instance(id: "x") { backups(filter: { startTime: $s }) { totalCount } } }',
      { s: '2026-11-01T10:00' },
    ],
    ['a missing required variable', 'query I($id: ID!) { instance(id: $id) { id } }', {}],
    [
      'a DateTime inside an input object',
      'query F($f: BackupFilterInput) { instance(id: "x") { backups(filter: $f) { totalCount } } }',
      { f: { startTime: 'yesterday' } },
    ],
    [
      'a null inside a list of non-null IDs',
      'query M($ids: [ID!]!) { instances(ids: $ids) { id } }',
      { ids: ['r-a', null] },
    ],
    [
      'two refused variables at once',
      'query T($n: Int, $f: BackupFilterInput) { instance(id: "x") { backups(first: $n, filter: $f) { totalCount } } }',
      { n: 'ten', f: { backupId: 1.5, unknown: 1 } },
    ],
  ])('refuses %s as a request error, HTTP 400, alike', async (_name, query, variables) => {
    harness.resetCalls();
    const answer = await bothWays('client', query, variables);

    expect(answer.status).toBe(400);
    expect(answer.body).not.toHaveProperty('data');
    expect(harness.calls()).toBe(0);
  });

  it('compiles a DateTime literal without writing to stderr, which would break JSON logs', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const answer = await bothWays(
        'client',
        `{ instance(id: "${standard}") { backups(first: 1, filter: { startTime: "2026-01-01T00:00:00Z" }) {
          totalCount } } }`,
      );

      expect(answer.body).not.toHaveProperty('errors');
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });

  it('names the variable, the path inside it and why, under either executor', async () => {
    const answer = await bothWays(
      'client',
      'query F($f: BackupFilterInput) { instance(id: "x") { backups(filter: $f) { totalCount } } }',
      { f: { startTime: 'yesterday' } },
    );

    for (const { body } of [answer, answer.interpreted]) {
      const [error] = body.errors as Array<{ message: string }>;
      expect(error!.message).toMatch(
        /^Variable "\$f" got invalid value "yesterday" at "f\.startTime"/,
      );
    }
  });

  it('names the variable and why a custom scalar refused it, under either executor', async () => {
    const answer = await bothWays(
      'client',
      'query W($s: DateTime) { instance(id: "x") { backups(filter: { startTime: $s }) { totalCount } } }',
      { s: '2026-11-01T10:00' },
    );

    for (const { body } of [answer, answer.interpreted]) {
      const [error] = body.errors as Array<{ message: string }>;
      expect(error!.message).toContain('"$s"');
      expect(error!.message).toContain('DateTime "2026-11-01T10:00" has no offset');
    }
  });

  it('resolves _entities through the _Entity union alike, malformed entries included', async () => {
    const listed = await post(
      gateways['client 0']!,
      `{ instance(id: "${cluster}") { backups(first: 1) { edges { node { id } } } } }`,
    );
    const backupId = (
      listed.body as { data: { instance: { backups: { edges: Array<{ node: { id: string } }> } } } }
    ).data.instance.backups.edges[0]!.node.id;
    const answer = await bothWays(
      'subgraph',
      `query E($r: [_Any!]!) { _entities(representations: $r) {
        __typename ... on Instance { id backups(first: 2) { edges { node { backupId } } } }
        ... on Backup { backupId status } } }`,
      {
        r: [
          { __typename: 'Instance', id: standard },
          { __typename: 'Backup', id: backupId },
          { __typename: 'Backup', id: 42 },
        ],
      },
    );

    expect(answer.status).toBe(200);
    expect((answer.body.data as { _entities: unknown[] })._entities).toHaveLength(3);
  });
});

describe('when documents are compiled', () => {
  it('answers a document the same on its first, second and third execution', async () => {
    const gateway = createGateway({
      client: harness.client,
      logger: silentLogger,
      now: () => TEST_NOW,
    });
    const query = `{ instance(id: "${standard}") { backups(first: 4) { ${EDGES} } } }`;
    const answers = [];
    for (let run = 0; run < 3; run++) {
      answers.push(await post(gateway, query));
    }

    expect(answers[0]!.body).not.toHaveProperty('errors');
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('compiles a document on its second execution by default, and writes fields in query order under either executor', async () => {
    // `id` completes before the upstream `backups`; both executors still write `backups` first.
    const query = `{ instance(id: "${standard}") { backups(first: 1) { totalCount } id } }`;
    const runs = async (compileQueriesAfter: number | undefined) => {
      const metrics = createGatewayMetrics({ processMetrics: false });
      const gateway = createGateway({
        client: harness.client,
        logger: silentLogger,
        now: () => TEST_NOW,
        metrics,
        ...(compileQueriesAfter === undefined ? {} : { compileQueriesAfter }),
      });
      const answers: string[] = [];
      const compiled: number[] = [];
      for (let run = 0; run < 3; run++) {
        answers.push((await postQuery(gateway, query)).text);
        const counter = await metrics.registry
          .getSingleMetric('graphql_compiled_executions_total')!
          .get();
        compiled.push(counter.values[0]?.value ?? 0);
      }

      return { answers, compiled };
    };
    const inQueryOrder = `{"data":{"instance":{"backups":{"totalCount":42},"id":"${standard}"}}}`;
    const threeTimes = [inQueryOrder, inQueryOrder, inQueryOrder];

    expect(await runs(undefined)).toEqual({ answers: threeTimes, compiled: [0, 1, 2] });
    expect(await runs(0)).toEqual({ answers: threeTimes, compiled: [0, 0, 0] });
    expect(await runs(1)).toEqual({ answers: threeTimes, compiled: [1, 2, 3] });
  });

  it('answers a document with errors in the same text before and after compilation', async () => {
    const gateway = createGateway({
      client: harness.client,
      logger: silentLogger,
      now: () => TEST_NOW,
    });
    const missing = encodeBackupId({
      instanceId: 'r-nope',
      backupId: '1',
      startMinute: new Date('2026-11-20T08:00:00Z'),
      aof: false,
    });
    const query = `{ node(id: "${missing}") { __typename id } instance(id: "${denied}") { id } }`;
    const texts: string[] = [];
    for (let run = 0; run < 3; run++) {
      // Upstream's RequestId differs per call; the rest must not.
      texts.push(
        (await postQuery(gateway, query)).text.replace(/"requestId":"[^"]+"/, '"requestId":"R"'),
      );
    }

    expect(texts[0]).toMatch(/^\{"errors":\[\{"message":"instance r-nope does not exist/);
    expect(texts[1]).toBe(texts[0]);
    expect(texts[2]).toBe(texts[0]);
  });

  it('reads QUERY_COMPILE_AFTER, 2 by default, 0 to never compile', () => {
    expect(loadConfig({}).compileQueriesAfter).toBe(2);
    expect(loadConfig({ QUERY_COMPILE_AFTER: '0' }).compileQueriesAfter).toBe(0);
    expect(() => loadConfig({ QUERY_COMPILE_AFTER: '-1' })).toThrow(
      'QUERY_COMPILE_AFTER must be an integer from 0 to 1000000; got "-1"',
    );
  });

  it('refuses a compileAfter that is not a whole number ≥ 0', () => {
    expect(() => useCompiledExecution({ compileAfter: 1.5 })).toThrow(
      'compileAfter must be an integer ≥ 0; received 1.5',
    );
  });
});

describe('a type resolver that throws, compiled', () => {
  it('answers with a field error instead of never answering', async () => {
    const A = new GraphQLObjectType({ name: 'A', fields: { a: { type: GraphQLString } } });
    const B = new GraphQLObjectType({ name: 'B', fields: { b: { type: GraphQLString } } });
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          either: {
            type: new GraphQLUnionType({
              name: 'Either',
              types: [A, B],
              resolveType: () => {
                throw new Error('no type for this value');
              },
            }),
            resolve: () => ({ a: 'x' }),
          },
        },
      }),
    });
    const yoga = createYoga({
      schema,
      logging: false,
      plugins: [useCompiledExecution({ compileAfter: 1 })],
    });
    const response = await yoga.fetch('http://yoga.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ either { ... on A { a } } }' }),
    });
    const body = (await response.json()) as { data: unknown; errors: Array<{ path: unknown }> };

    expect(body.data).toEqual({ either: null });
    expect(body.errors).toEqual([expect.objectContaining({ path: ['either'] })]);
  });
});
