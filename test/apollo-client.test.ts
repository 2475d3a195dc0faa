import { readFileSync } from 'node:fs';
import { ApolloClient, gql, HttpLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { buildSchema, isAbstractType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedIds } from './support/backups-page.js';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';
import { type HttpServed, serveOverHttp } from './support/serve-http.js';

const INSTANCE = 'r-apollo000450';
const PAGE = 30;
/** The gateway's client tries each call this often; a fault must outlast it to reach clients. */
const MAX_ATTEMPTS = 2;

interface BackupsData {
  instance: {
    __typename: 'Instance';
    id: string;
    backups: {
      __typename: 'BackupConnection';
      totalCount: number | null;
      error: { __typename: string; code: string; message: string; retryable: boolean } | null;
      pageInfo: { __typename: 'PageInfo'; hasNextPage: boolean; endCursor: string | null };
      edges: Array<{
        __typename: 'BackupEdge';
        cursor: string;
        node: { id: string; backupId: string };
      }>;
    };
  };
}
interface BackupsVariables {
  id: string;
  first: number;
  after?: string | null;
}

const BACKUPS: TypedDocumentNode<BackupsData, BackupsVariables> = gql`
  query InstanceBackups($id: ID!, $first: Int!, $after: String) {
    instance(id: $id) {
      id
      backups(first: $first, after: $after) {
        totalCount
        error { code message retryable }
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id backupId } }
      }
    }
  }
`;

/** Apollo's possibleTypes, read from the committed schema: every interface and union. */
function possibleTypesFromSchema(): Record<string, string[]> {
  const schema = buildSchema(readFileSync('schema.graphql', 'utf8'));
  const entries = Object.values(schema.getTypeMap())
    .filter(isAbstractType)
    .map((type) => [type.name, schema.getPossibleTypes(type).map((member) => member.name)]);

  return Object.fromEntries(entries);
}

function newClient(served: HttpServed): ApolloClient {
  return new ApolloClient({
    // Over real HTTP, as a browser app would call it; not yoga.fetch().
    link: new HttpLink({ uri: served.graphqlUrl, fetch: globalThis.fetch }),
    cache: new InMemoryCache({
      possibleTypes: possibleTypesFromSchema(),
      typePolicies: { Instance: { fields: { backups: relayStylePagination(['filter']) } } },
    }),
  });
}

let harness: Harness;
let served: HttpServed;

beforeAll(async () => {
  harness = await startHarness({
    dataset: { instances: { [INSTANCE]: instanceWith(450) } },
    client: { maxAttempts: MAX_ATTEMPTS },
  });
  served = await serveOverHttp(harness.gateway);
});
afterAll(async () => {
  await served.close();
  await harness.close();
});

/** Loads the first page, then fetchMore until hasNextPage is false; `beforePage(n)` runs first. */
async function pageThrough(
  client: ApolloClient,
  beforePage: (pageNumber: number) => void = () => {},
) {
  const variables = { id: INSTANCE, first: PAGE };
  await client.query({ query: BACKUPS, variables });
  // fetchMore belongs to a watched query; this one starts from the page just cached.
  const observable = client.watchQuery({ query: BACKUPS, variables });
  const subscription = observable.subscribe(() => {});
  const merged = () => client.readQuery({ query: BACKUPS, variables });
  const snapshots: Array<NonNullable<ReturnType<typeof merged>>> = [];
  try {
    let pageNumber = 1;
    while (merged()!.instance.backups.pageInfo.hasNextPage && pageNumber < 40) {
      pageNumber += 1;
      beforePage(pageNumber);
      await observable.fetchMore({
        variables: { after: merged()!.instance.backups.pageInfo.endCursor },
      });
      snapshots.push(merged()!);
    }

    return { final: merged()!, snapshots };
  } finally {
    subscription.unsubscribe();
  }
}

const ids = (data: BackupsData) => data.instance.backups.edges.map((edge) => edge.node.backupId);

describe('Apollo Client with relayStylePagination on Instance.backups', () => {
  it('pages through 450 backups 30 at a time and ends with all of them, in order, once', async () => {
    const client = newClient(served);
    harness.resetCalls();
    const { final, snapshots } = await pageThrough(client);

    expect(snapshots).toHaveLength(14);
    // One upstream call a page: nothing was fetched twice.
    expect(harness.calls()).toBe(15);
    expect(ids(final)).toEqual(expectedIds(harness, INSTANCE));
    expect(new Set(ids(final)).size).toBe(450);
    expect(final.instance.backups.totalCount).toBe(450);
    expect(final.instance.backups.error).toBeNull();
    expect(final.instance.backups.pageInfo.hasNextPage).toBe(false);
  });

  it('keeps the loaded pages and shows the typed error when a middle page fails, then completes on retry', async () => {
    const client = newClient(served);
    let failedAt: BackupsData | null = null;
    let retried = false;

    const { final } = await pageThrough(client, (pageNumber) => {
      if (pageNumber === 6) {
        // Outlasts the gateway's own retries once, then clears.
        harness.emulator.setFault(INSTANCE, {
          Code: 'ServiceUnavailable',
          HttpStatus: 503,
          Times: MAX_ATTEMPTS,
        });
      }
      if (pageNumber === 7 && !retried) {
        failedAt = client.readQuery({ query: BACKUPS, variables: { id: INSTANCE, first: PAGE } });
        retried = true;
      }
    });

    // After the failed fetchMore the merged connection holds every edge loaded before it, the
    // typed error (relayStylePagination keeps the latest page's extra fields: error and the
    // failed page's totalCount, null) and the echoed cursor with hasNextPage still true.
    const failed = failedAt as BackupsData | null;
    expect(failed).not.toBeNull();
    expect(ids(failed!)).toEqual(expectedIds(harness, INSTANCE).slice(0, 150));
    expect(failed!.instance.backups.error).toEqual({
      __typename: 'UpstreamError',
      code: 'UPSTREAM_UNAVAILABLE',
      message: expect.stringContaining('ServiceUnavailable'),
      retryable: true,
    });
    expect(failed!.instance.backups.totalCount).toBeNull();
    expect(failed!.instance.backups.pageInfo).toEqual({
      __typename: 'PageInfo',
      hasNextPage: true,
      endCursor: failed!.instance.backups.edges.at(-1)!.cursor,
    });

    // The loop fetched "more" from the echoed cursor again: the same page, now served.
    expect(ids(final)).toEqual(expectedIds(harness, INSTANCE));
    expect(new Set(ids(final)).size).toBe(450);
    expect(final.instance.backups.error).toBeNull();
    expect(final.instance.backups.totalCount).toBe(450);
  });
});
