import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoDataset, DEMO_INSTANCE_IDS } from '../src/emulator/demo-data.js';
import { generateBackups } from '../src/emulator/generate-backups.js';
import { silentLogger } from '../src/logger.js';
import { encodeBackupId, parseNodeId } from '../src/paging/global-id.js';
import { createGateway, type Gateway } from '../src/server.js';
import { type Harness, startHarness, TEST_NOW } from './support/gateway-harness.js';

const { standard, cluster, large, denied } = DEMO_INSTANCE_IDS;
/** 350 backups that all start in one minute: no narrower window holds fewer. */
const CROWD = 'r-test0crowd00001';

const BACKUP_FIELDS = `id backupId jobId status type mode method startTime endTime expiresAt
  sizeBytes downloadUrl intranetDownloadUrl nodeId databases engineVersion
  recoverConfig { whitelist config account } instance { id }`;

type BackupFields = Record<string, unknown> & { id: string; backupId: string };
interface EntitiesData {
  _entities: Array<BackupFields | null>;
}

let harness: Harness;
let subgraph: Gateway;

beforeAll(async () => {
  const dataset = createDemoDataset();
  dataset.instances[CROWD] = {
    Backups: generateBackups({
      instanceId: CROWD,
      count: 350,
      newest: new Date('2026-11-20T08:00:17Z'),
      intervalMinutes: 0,
    }),
  };
  harness = await startHarness({ dataset });
  subgraph = createGateway({
    client: harness.client,
    logger: silentLogger,
    now: () => TEST_NOW,
    schema: 'subgraph',
  });
});
afterAll(() => harness.close());

async function entities(ids: string[], fields = BACKUP_FIELDS) {
  harness.resetCalls();
  const response = await subgraph.fetch('http://subgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Backup { ${fields} } } }`,
      variables: { r: ids.map((id) => ({ __typename: 'Backup', id })) },
    }),
  });
  const body = (await response.json()) as {
    data: EntitiesData;
    errors?: Array<{ message: string; path: unknown[]; extensions: Record<string, unknown> }>;
  };

  return { ...body, calls: harness.emulator.requests.slice() };
}

/** Backups as the connection path lists them: the values `_entities` must match. */
async function listed(instanceId: string, first: number, includeAof = false) {
  const response = await harness.query<{
    instance: { backups: { edges: Array<{ node: BackupFields }> } };
  }>(
    `query ($id: ID!, $first: Int!, $aof: Boolean) {
      instance(id: $id) { backups(first: $first, filter: { includeAof: $aof }) { edges { node { ${BACKUP_FIELDS} } } } }
    }`,
    { id: instanceId, first, aof: includeAof },
  );
  expect(response.body.errors).toBeUndefined();

  return response.body.data!.instance.backups.edges.map((edge) => edge.node);
}

function madeUp(instanceId: string, like: BackupFields): string {
  const key = parseNodeId(like.id);
  if (key.kind !== 'Backup') {
    throw new Error(`not a Backup id: ${like.id}`);
  }

  return encodeBackupId({ ...key, instanceId, backupId: '123456' });
}

describe('_entities for Backup representations', () => {
  it('resolves 10 representations of 2 instances with 2 calls, in order, as the connection lists them', async () => {
    const aofList = await listed(standard, 40, true);
    const incremental = aofList.filter((backup) => backup.type === 'INCREMENTAL_BACKUP');
    const full = aofList.filter((backup) => backup.type === 'FULL_BACKUP');
    const shards = await listed(cluster, 8);
    const expected = [
      incremental[0]!,
      shards[0]!,
      full[0]!,
      null,
      incremental[10]!,
      shards[7]!,
      full[1]!,
      shards[3]!,
      incremental[23]!,
      shards[5]!,
    ];
    const ids = expected.map((backup) => backup?.id ?? madeUp(standard, full[0]!));

    const result = await entities(ids);

    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual(expected);
    expect(result.calls).toHaveLength(2);
    const byInstance = Object.fromEntries(result.calls.map((call) => [call.instanceId, call]));
    expect(byInstance[standard]!.params).toMatchObject({ NeedAof: '1', PageSize: '300' });
    expect(byInstance[cluster]!.params['NeedAof'] ?? '0').toBe('0');
    for (const call of result.calls) {
      expect(call.pageNumber).toBe(1);
      expect(call.params['BackupId']).toBeUndefined();
    }
    // From the oldest standard member's minute (a daily full backup) to past the newest AOF one.
    expect(full[1]!.startTime).toBe('2026-11-28T18:10:17.000Z');
    expect(byInstance[standard]!.params['StartTime']).toBe('2026-11-28T18:10Z');
    expect(byInstance[standard]!.params['EndTime']).toBe('2026-11-29T23:31Z');
  });

  it('asks a narrower window when a group overflows one page, so every backup is still found', async () => {
    const list = await listed(large, 300);
    const oldestPage = await harness.query<{
      instance: { backups: { edges: Array<{ node: BackupFields }> } };
    }>(`{ instance(id: "${large}") { backups(last: 1) { edges { node { ${BACKUP_FIELDS} } } } } }`);
    const oldest = oldestPage.body.data!.instance.backups.edges[0]!.node;
    const ids = [list[0]!.id, oldest.id, madeUp(large, list[200]!)];

    const result = await entities(ids);

    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([list[0], oldest, null]);
    // The whole window (450 rows), then only the missing part of it (250 rows).
    expect(result.calls.map((call) => [call.params['StartTime'], call.params['EndTime']])).toEqual([
      ['2026-11-11T06:05Z', '2026-11-29T23:06Z'],
      ['2026-11-11T06:05Z', '2026-11-21T15:06Z'],
    ]);
  });

  it('pages on when a one-minute window holds more than 300 backups', async () => {
    const list = await listed(CROWD, 300);
    const last = await harness.query<{
      instance: { backups: { edges: Array<{ node: BackupFields }> } };
    }>(`{ instance(id: "${CROWD}") { backups(last: 2) { edges { node { ${BACKUP_FIELDS} } } } } }`);
    const tail = last.body.data!.instance.backups.edges.map((edge) => edge.node);

    const result = await entities([tail[1]!.id, list[5]!.id, tail[0]!.id]);

    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([tail[1], list[5], tail[0]]);
    expect(result.calls.map((call) => call.pageNumber)).toEqual([1, 2]);
  });

  it('answers a typed error naming the representation, without a call, for ids that are not Backup ids', async () => {
    const result = await entities(['r-demo0standard01', 'Backup:not-base64!'], 'id');

    expect(result.data._entities).toEqual([null, null]);
    expect(result.errors!.map((error) => [error.path, error.extensions['argument']])).toEqual([
      [['_entities', 0], 'representations[0]'],
      [['_entities', 1], 'representations[1]'],
    ]);
    expect(result.calls).toHaveLength(0);
  });

  it('fails only the representations whose call failed, with the typed error', async () => {
    const [ok] = await listed(standard, 1);
    const refused = encodeBackupId({
      instanceId: denied,
      backupId: '2300000001',
      startMinute: new Date('2026-11-28T02:00:00Z'),
      aof: false,
    });

    const result = await entities([refused, ok!.id], 'id backupId');

    expect(result.data._entities).toEqual([null, { id: ok!.id, backupId: ok!.backupId }]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.path).toEqual(['_entities', 0]);
    expect(result.errors![0]!.extensions['code']).toBe('ACCESS_DENIED');
  });
});

describe('_entities for Instance representations', () => {
  it('resolves an instance by its ID without an upstream call', async () => {
    harness.resetCalls();
    const response = await subgraph.fetch('http://subgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ _entities(representations: [
          { __typename: "Instance", id: "${standard}" },
          { __typename: "Instance", id: "" }
        ]) { ... on Instance { id } } }`,
      }),
    });

    const body = (await response.json()) as {
      data: unknown;
      errors: Array<{ message: string; path: unknown[]; extensions: Record<string, unknown> }>;
    };

    expect(body.data).toEqual({ _entities: [{ id: standard }, null] });
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'representations[1] needs its key, a non-empty string `id`',
        path: ['_entities', 1],
        extensions: { code: 'INVALID_ARGUMENT', argument: 'representations[1]', retryable: false },
      }),
    ]);
    expect(harness.calls()).toBe(0);
  });
});

describe('_entities limits and malformed representations', () => {
  async function post(representations: unknown[]) {
    harness.resetCalls();
    const response = await subgraph.fetch('http://subgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Instance { id } ... on Backup { backupId } } }',
        variables: { r: representations },
      }),
    });

    return (await response.json()) as {
      data: { _entities: unknown[] | null } | null;
      errors?: Array<{ message: string; path: unknown[]; extensions: Record<string, unknown> }>;
    };
  }

  it('refuses more than 100 Instance representations, with no upstream call', async () => {
    const body = await post(
      Array.from({ length: 101 }, (_, index) => ({ __typename: 'Instance', id: `r-many${index}` })),
    );

    expect(body.data).toBeNull();
    expect(body.errors![0]!.message).toBe(
      'representations reach 101 instances (Instance references and the instances of Backup references); at most 100 per call, as instances(ids:) allows',
    );
    expect(harness.calls()).toBe(0);
  });

  it('counts the instances of Backup references against the same 100, with no upstream call', async () => {
    const backupOf = (index: number) =>
      encodeBackupId({
        instanceId: `r-spread${index}`,
        backupId: '1',
        startMinute: new Date('2026-11-20T08:00:00Z'),
        aof: false,
      });
    const within = Array.from({ length: 99 }, (_, index) => ({
      __typename: 'Backup',
      id: backupOf(index),
    }));
    const over = await post([
      ...within,
      { __typename: 'Instance', id: 'r-spread99' },
      { __typename: 'Backup', id: backupOf(100) },
    ]);

    expect(over.data).toBeNull();
    expect(over.errors![0]!.message).toMatch(/^representations reach 101 instances/);
    expect(harness.calls()).toBe(0);

    // The same instance reached both ways counts once.
    const at = await post([...within, { __typename: 'Instance', id: 'r-spread0' }]);
    expect(at.errors?.[0]?.message ?? '').not.toMatch(/representations reach/);
  });

  it('costs its selection once per representation under QUERY_MAX_COST, as instances(ids:) does', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Instance { backups(first: 300) { totalCount edges { node { id backupId } } } } } }`;
    const send = async (count: number) => {
      harness.resetCalls();
      const response = await subgraph.fetch('http://subgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query,
          variables: {
            r: Array.from({ length: count }, (_, index) => ({
              __typename: 'Instance',
              id: `r-costly${index}`,
            })),
          },
        }),
      });

      return (await response.json()) as {
        errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
      };
    };

    const many = await send(100);
    expect(many.errors?.[0]?.extensions).toMatchObject({ limit: 'cost' });
    expect(many.errors?.[0]?.message).toMatch(/^Query cost \d+ exceeds the limit of 50000/);
    expect(harness.calls()).toBe(0);

    const few = await send(2);
    expect(few.errors?.find((error) => error.extensions.limit === 'cost')).toBeUndefined();
  });

  it('refuses more than 1000 representations, with no upstream call', async () => {
    const backup = encodeBackupId({
      instanceId: standard,
      backupId: '1',
      startMinute: new Date('2026-11-20T08:00:00Z'),
      aof: false,
    });
    const body = await post(
      Array.from({ length: 1001 }, () => ({ __typename: 'Backup', id: backup })),
    );

    expect(body.errors![0]!.extensions).toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument: 'representations',
    });
    expect(harness.calls()).toBe(0);
  });

  it('fails only the malformed entries, each with a typed error naming it', async () => {
    const body = await post([
      { __typename: 'Instance', id: standard },
      { __typename: 'Backup' },
      { __typename: 'Nope', id: 'x' },
      { id: 'x' },
      { __typename: 'Instance', id: cluster },
    ]);

    expect(body.data).toEqual({
      _entities: [
        { __typename: 'Instance', id: standard },
        null,
        null,
        null,
        { __typename: 'Instance', id: cluster },
      ],
    });
    expect(body.errors!.map((error) => [error.path, error.extensions['argument']])).toEqual([
      [['_entities', 1], 'representations[1]'],
      [['_entities', 2], 'representations[2]'],
      [['_entities', 3], 'representations[3]'],
    ]);
    expect(body.errors![1]!.message).toBe(
      'representations[2] has __typename "Nope"; this subgraph resolves Backup and Instance',
    );
  });

  it('names what is wrong with an array, a missing __typename, a bad Backup.id and an instance upstream refuses', async () => {
    const withControl = encodeBackupId({
      instanceId: 'r-bad\u0001id',
      backupId: '1',
      startMinute: new Date('2026-11-20T08:00:00Z'),
      aof: false,
    });
    const body = await post([
      [{ __typename: 'Instance', id: standard }],
      { id: standard },
      { __typename: 'Backup', id: 'Backup:garbage' },
      { __typename: 'Backup', id: withControl },
    ]);

    expect(body.data).toEqual({ _entities: [null, null, null, null] });
    expect(
      body.errors!.map((error) => [error.path[1], error.extensions['argument'], error.message]),
    ).toEqual([
      [0, 'representations[0]', 'representations[0] is not an object'],
      [
        1,
        'representations[1]',
        'representations[1] has no __typename; this subgraph resolves Backup and Instance',
      ],
      [
        2,
        'representations[2]',
        'representations[2] has an id that is not a Backup.id: the Backup id is not base64url after its prefix',
      ],
      [3, 'representations[3]', expect.stringContaining('representations[3]')],
    ]);
    expect(body.errors![3]!.message).not.toContain('instanceId');
  });
});

describe('_entities with a representation it cannot resolve', () => {
  it('answers with errors and leaves no rejection unhandled when a failing Backup precedes an unknown type', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const failing = encodeBackupId({
        instanceId: 'r-nope0000000001',
        backupId: '1',
        startMinute: new Date('2026-11-20T08:00:00Z'),
        aof: false,
      });
      const response = await subgraph.fetch('http://subgraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
          variables: {
            r: [
              { __typename: 'Backup', id: failing },
              { __typename: 'Nope', id: 'x' },
            ],
          },
        }),
      });
      const body = (await response.json()) as { errors?: Array<{ message: string }> };
      // Give a lost rejection the turns it needs to surface.
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect(body.errors?.length).toBeGreaterThan(0);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
