import { Client, fetchExchange, gql } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedIds } from './support/backups-page.js';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';
import { type HttpServed, serveOverHttp } from './support/serve-http.js';

const INSTANCE = 'r-urql0000450';
const MAX_ATTEMPTS = 2;

interface Page {
  totalCount: number | null;
  error: { __typename: string; code: string; retryable: boolean } | null;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: { backupId: string } }>;
}

const BACKUPS = gql<{ instance: { backups: Page } }, { id: string; after: string | null }>`
  query UrqlBackups($id: ID!, $after: String) {
    instance(id: $id) {
      backups(first: 30, after: $after) {
        totalCount
        error { __typename code retryable }
        pageInfo { hasNextPage endCursor }
        edges { node { backupId } }
      }
    }
  }
`;

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

/**
 * What a plain client does: append each page's edges, and on a page with an `error` keep what it
 * has and ask again from the cursor the failed page echoed. No document cache: a retry with the
 * same variables must reach the server.
 */
async function collect(beforePage: (pageNumber: number) => void = () => {}) {
  const client = new Client({ url: served.graphqlUrl, exchanges: [fetchExchange] });
  const collected: string[] = [];
  const errors: Array<{ after: string | null; kept: number; error: Page['error'] }> = [];
  let after: string | null = null;
  let pageNumber = 0;
  let hasNextPage = true;
  while (hasNextPage && pageNumber < 40) {
    pageNumber += 1;
    beforePage(pageNumber);
    const variables: { id: string; after: string | null } = { id: INSTANCE, after };
    const result = await client.query(BACKUPS, variables).toPromise();
    expect(result.error).toBeUndefined();
    const page: Page = result.data!.instance.backups;
    if (page.error) {
      errors.push({ after, kept: collected.length, error: page.error });
      expect(page.pageInfo.endCursor).toBe(after);
    }
    collected.push(...page.edges.map((edge) => edge.node.backupId));
    after = page.pageInfo.endCursor;
    hasNextPage = page.pageInfo.hasNextPage;
  }

  return { collected, errors, pages: pageNumber };
}

describe('a plain urql client over Instance.backups', () => {
  it('pages through 450 backups 30 at a time, in order, without duplicates', async () => {
    const { collected, errors, pages } = await collect();

    expect(collected).toEqual(expectedIds(harness, INSTANCE));
    expect(errors).toEqual([]);
    expect(pages).toBe(15);
  });

  it('keeps what it has past a failed middle page and completes on retry', async () => {
    const { collected, errors, pages } = await collect((pageNumber) => {
      if (pageNumber === 9) {
        harness.emulator.setFault(INSTANCE, {
          Code: 'ServiceUnavailable',
          HttpStatus: 503,
          Times: MAX_ATTEMPTS,
        });
      }
    });

    expect(errors).toEqual([
      {
        after: expect.any(String),
        kept: 240,
        error: { __typename: 'UpstreamError', code: 'UPSTREAM_UNAVAILABLE', retryable: true },
      },
    ]);
    expect(collected).toEqual(expectedIds(harness, INSTANCE));
    expect(pages).toBe(16);
  });
});
