import type { Harness } from './gateway-harness.js';

export interface ErrorShape {
  __typename: string;
  code: string;
  message: string;
  retryable: boolean;
  upstreamCode: string | null;
  requestId: string | null;
  argument?: string;
  instanceId?: string;
  authAction?: string | null;
  noPermissionType?: string | null;
}

export interface PageShape {
  totalCount: number | null;
  window: { startTime: string; endTime: string };
  error: ErrorShape | null;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  edges: Array<{ cursor: string; node: { id: string; backupId: string; startTime: string } }>;
}

export const ERROR_FIELDS = `
  __typename code message retryable upstreamCode requestId
  ... on InvalidArgumentError { argument }
  ... on StaleCursorError { argument }
  ... on InstanceNotFoundError { instanceId }
  ... on AccessDeniedError { authAction noPermissionType policyType encodedDiagnosticMessage }
`;

export const PAGE_FIELDS = `
  totalCount
  window { startTime endTime }
  error { ${ERROR_FIELDS} }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { id backupId startTime } }
`;

export interface PageArgs {
  first?: number;
  last?: number;
  after?: string | null;
  before?: string | null;
  filter?: Record<string, unknown>;
}

/** One `Instance.backups` page, with the number of upstream calls it made. */
export async function backupsPage(
  harness: Harness,
  instanceId: string,
  args: PageArgs = {},
): Promise<{ page: PageShape; calls: number }> {
  harness.resetCalls();
  const response = await harness.query<{ instance: { backups: PageShape } }>(
    `query Page($id: ID!, $first: Int, $last: Int, $after: String, $before: String, $filter: BackupFilterInput) {
      instance(id: $id) {
        backups(first: $first, last: $last, after: $after, before: $before, filter: $filter) { ${PAGE_FIELDS} }
      }
    }`,
    { id: instanceId, ...args },
  );
  if (response.body.errors) {
    throw new Error(`unexpected GraphQL errors: ${JSON.stringify(response.body.errors)}`);
  }

  return { page: response.body.data!.instance.backups, calls: harness.calls() };
}

/** The emulator's own order of an instance's BackupIds: what every listing must match. */
export function expectedIds(harness: Harness, instanceId: string): string[] {
  return harness.emulator.sortedBackups(instanceId).map((backup) => String(backup.BackupId));
}
