import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_QUERY_LIMITS } from '../src/plugins/use-query-limits.js';
import { exampleQuery } from '../src/server.js';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';

const IDS = Array.from({ length: 100 }, (_, index) => `r-lim${String(index).padStart(3, '0')}`);
const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const NODE_FIELDS = 'backupId status type startTime sizeBytes';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    dataset: { instances: Object.fromEntries(IDS.map((id) => [id, instanceWith(4)])) },
  });
});
afterAll(() => harness.close());

interface Answer {
  status: number;
  body: {
    data?: unknown;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

async function post(body: unknown, accept = GRAPHQL_RESPONSE): Promise<Answer> {
  const response = await harness.gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
  });

  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

function nested(levels: number): string {
  let selection = 'backupId';
  for (let level = 0; level < levels; level += 1) {
    selection = `instance { backups(first: 1) { edges { node { ${selection} } } } }`;
  }

  return `{ instance(id: "${IDS[0]}") { backups(first: 1) { edges { node { ${selection} } } } } }`;
}

const REFUSALS: Array<[string, string, RegExp]> = [
  ['depth', nested(3), /depth limit of 10/i],
  [
    'aliases',
    `{ ${Array.from({ length: 31 }, (_, n) => `a${n}: instance(id: "r-x") { id }`).join(' ')} }`,
    /aliases limit of 30/i,
  ],
  ['tokens', `{ instance(id: "r-x") { ${'id '.repeat(2100)} } }`, /token limit of 2000/i],
  [
    'directives',
    `{ instance(id: "r-x") { ${'... @include(if: true) { id } '.repeat(21)} } }`,
    /directives limit of 20/i,
  ],
  [
    'cost',
    `{ instances(ids: ${JSON.stringify(IDS)}) { id backups(first: 300) { edges { node { ${NODE_FIELDS} } } } } }`,
    /Query cost 211101 exceeds the limit of 50000/,
  ],
];

describe('query limits', () => {
  it.each([
    ['the README example', README_EXAMPLE()],
    ["GraphiQL's default query", exampleQuery(IDS[0]!)],
    [
      "GraphiQL's introspection query",
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        inputValueDeprecation: true,
      }),
    ],
    [
      '100 ids with backups(first: 3)',
      `{ instances(ids: ${JSON.stringify(IDS)}) { id backups(first: 3) { edges { node { ${NODE_FIELDS} } } } } }`,
    ],
    [
      '100 ids with the default 30 edges',
      `{ instances(ids: ${JSON.stringify(IDS)}) { id backups { edges { node { ${NODE_FIELDS} } } } } }`,
    ],
  ])('lets %s through', async (_name, query) => {
    const answer = await post({ query });

    expect(answer.body.errors).toBeUndefined();
    expect(answer.status).toBe(200);
  });

  it.each(REFUSALS)(
    'refuses a query over the %s limit with HTTP 400 and no upstream call',
    async (_name, query, message) => {
      harness.resetCalls();
      const answer = await post({ query });

      expect(answer.status).toBe(400);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.errors![0]!.message).toMatch(message);
      expect(harness.calls()).toBe(0);
    },
  );

  it.each(REFUSALS)(
    'answers the %s refusal with HTTP 200 under application/json',
    async (_name, query, message) => {
      const answer = await post({ query }, 'application/json');

      expect(answer.status).toBe(200);
      expect(answer.body.errors![0]!.message).toMatch(message);
    },
  );

  it.each([2_000, 100_000])(
    'refuses a list literal nested %i deep, which overflows the parser, as a syntax error',
    async (levels) => {
      harness.resetCalls();
      const value = `${'['.repeat(levels)}"1"${']'.repeat(levels)}`;
      const answer = await post({
        query: `{ instance(id: "${IDS[0]}") { backups(filter: { backupId: ${value} }) { totalCount } } }`,
      });

      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([
        {
          message: 'Syntax Error: the document is nested too deeply to parse.',
          extensions: { code: 'GRAPHQL_PARSE_FAILED' },
        },
      ]);
      expect(harness.calls()).toBe(0);
      expect((await post({ query: exampleQuery(IDS[0]!) })).status).toBe(200);
    },
  );

  it('counts the ids given in variables, not the query text', async () => {
    harness.resetCalls();
    const query = `query Many($ids: [ID!]!, $n: Int) {
      instances(ids: $ids) { backups(first: $n) { edges { node { ${NODE_FIELDS} } } } }
    }`;
    const refused = await post({ query, variables: { ids: IDS, n: 300 } });
    const passed = await post({ query, variables: { ids: IDS.slice(0, 2), n: 300 } });

    expect(refused.status).toBe(400);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ limit: 'cost', maxCost: 50_000 });
    expect(passed.status).toBe(200);
    expect(passed.body.errors).toBeUndefined();
    // Only the two-instance query reached upstream, and the cached verdict did not leak across.
    expect(harness.calls()).toBe(2);
  });

  it('runs a batch of up to 10 operations and refuses 11 with HTTP 413', async () => {
    const operation = { query: `{ instance(id: "${IDS[0]}") { id } }` };
    const ten = await post(Array.from({ length: 10 }, () => operation));
    const eleven = await post(Array.from({ length: 11 }, () => operation));

    expect(ten.status).toBe(200);
    expect(ten.body).toHaveLength(10);
    expect(eleven.status).toBe(413);
    expect(eleven.body.errors![0]!.message).toBe(
      'Batching is limited to 10 operations per request.',
    );
  });

  it('prices the operation a request selects, with its variables, in a document of one or two', async () => {
    const strict = await startHarness({
      dataset: { instances: {} },
      gateway: { limits: { maxCost: 100 } },
    });
    const post = async (body: Record<string, unknown>) => {
      const response = await strict.gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE },
        body: JSON.stringify(body),
      });

      return { status: response.status, text: await response.text() };
    };
    const page = 'instance(id: "r-none") { backups(first: $n) { edges { node { backupId } } } }';
    try {
      // Cost: 1 (instance) + 10 (backups) + n × (1 edges + 1 node + 1 backupId).
      const sole = `query Page($n: Int) { ${page} }`;
      const two = `query Cheap { __typename } query Page($n: Int) { ${page} }`;
      const soleWide = await post({ query: sole, variables: { n: 30 } });
      const soleNarrow = await post({ query: sole, variables: { n: 29 } });
      const twoWide = await post({ query: two, operationName: 'Page', variables: { n: 30 } });
      const twoCheap = await post({ query: two, operationName: 'Cheap', variables: { n: 30 } });

      expect(soleWide.status).toBe(400);
      expect(soleWide.text).toContain('Query cost 101 exceeds the limit of 100');
      expect(soleNarrow.status).toBe(200);
      expect(twoWide.status).toBe(400);
      expect(twoWide.text).toContain('Query cost 101 exceeds the limit of 100');
      expect(twoCheap).toEqual({ status: 200, text: '{"data":{"__typename":"Query"}}' });
    } finally {
      await strict.close();
    }
  });

  it('shares the cost limit between the operations of a batch, refusing the one that would pass it', async () => {
    const strict = await startHarness({
      dataset: { instances: { 'r-batch': instanceWith(40) } },
      gateway: { limits: { maxCost: 100 } },
    });
    try {
      // Each costs 1 + 10 + 20 × 2 = 51: one fits under 100, a second would not.
      const operation = {
        query: '{ instance(id: "r-batch") { backups(first: 20) { edges { cursor } } } }',
      };
      const response = await strict.gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE },
        body: JSON.stringify([operation, operation, { query: '{ __typename }' }]),
      });
      const answers = (await response.json()) as Answer['body'][];

      expect(answers[0]!.errors).toBeUndefined();
      expect(answers[1]).toEqual({
        errors: [
          {
            message:
              "Query cost 51 would bring this request's batch to 102, over the limit of 100 " +
              '(QUERY_MAX_COST) that a batch shares; send it in a request of its own or ask for less',
            extensions: {
              code: 'GRAPHQL_VALIDATION_FAILED',
              limit: 'cost',
              cost: 51,
              batchCost: 102,
              maxCost: 100,
            },
          },
        ],
      });
      // The refused operation spent nothing: a 1-cost one after it still fits.
      expect(answers[2]).toEqual({ data: { __typename: 'Query' } });

      // A later request starts with the whole budget again.
      const again = await strict.gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE },
        body: JSON.stringify([operation]),
      });
      expect(((await again.json()) as Answer['body'][])[0]!.errors).toBeUndefined();
    } finally {
      await strict.close();
    }
  });

  it('applies limits given to createGateway', async () => {
    const strict = await startHarness({
      dataset: { instances: {} },
      gateway: { limits: { maxCost: 3, maxBatch: 0 } },
    });
    try {
      const response = await strict.query('{ instances(ids: ["a", "b", "c"]) { id } }');
      const batch = await strict.gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE },
        body: JSON.stringify([{ query: '{ __typename }' }]),
      });

      expect(response.status).toBe(400);
      expect(response.body.errors![0]!.message).toMatch(/Query cost 4 exceeds the limit of 3/);
      expect(batch.status).toBe(400);
      expect(await batch.text()).toContain('Batching is not supported.');
    } finally {
      await strict.close();
    }
  });
});

describe('query limit configuration', () => {
  it('defaults to DEFAULT_QUERY_LIMITS and CORS closed', () => {
    const config = loadConfig({});

    expect(config.queryLimits).toEqual(DEFAULT_QUERY_LIMITS);
    expect(config.corsOrigins).toEqual([]);
  });

  it('reads every QUERY_MAX_* variable', () => {
    const config = loadConfig({
      QUERY_MAX_DEPTH: '7',
      QUERY_MAX_ALIASES: '5',
      QUERY_MAX_TOKENS: '500',
      QUERY_MAX_DIRECTIVES: '3',
      QUERY_MAX_COST: '1000',
      QUERY_MAX_BATCH: '0',
    });

    expect(config.queryLimits).toEqual({
      maxDepth: 7,
      maxAliases: 5,
      maxTokens: 500,
      maxDirectives: 3,
      maxCost: 1000,
      maxBatch: 0,
    });
  });

  it('stops with a message naming the variable and the value', () => {
    expect(() => loadConfig({ QUERY_MAX_COST: 'lots', QUERY_MAX_DEPTH: '0' })).toThrow(ConfigError);
    try {
      loadConfig({ QUERY_MAX_COST: 'lots', QUERY_MAX_DEPTH: '0' });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'QUERY_MAX_DEPTH must be an integer from 1 to 100; got "0"',
        'QUERY_MAX_COST must be an integer from 1 to 100000000; got "lots"',
      ]);
    }
  });
});

function README_EXAMPLE(): string {
  return `query Backups {
    instance(id: "${IDS[0]}") {
      backupStorage {
        ... on BackupStorage { fullBytes }
        ... on Error { code message }
      }
      backups(first: 2) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { backupId status type startTime sizeBytes } }
        error { code message retryable }
      }
    }
  }`;
}
