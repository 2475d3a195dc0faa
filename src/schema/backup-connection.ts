import { wrapErrorIfMatches } from '@pothos/plugin-errors';
import type { BackupLoaders } from '../loaders/backup-loaders.js';
import { TairError } from '../tair/errors.js';
import { BackupRef } from './backup.js';
import { builder } from './builder.js';
import {
  type BackupConnectionArgs,
  parseBackupPageQuery,
  planWindow,
  type TimeWindow,
} from './connection/arguments.js';
import { type BackupPage, resolveBackupPage } from './connection/resolve-page.js';
import { ErrorInterface, StaleCursorError, UPSTREAM_ERROR_TYPES } from './errors.js';

const CONNECTION_ERROR_TYPES = [StaleCursorError, ...UPSTREAM_ERROR_TYPES];

import { forInstance, type InstanceShape } from './instance-ref.js';

/** What the connection's own fields read besides edges and pageInfo. */
interface ConnectionExtras {
  totalCount: number | null;
  window: TimeWindow;
  error: TairError | null;
}

const TimeWindowRef = builder.objectRef<TimeWindow>('TimeWindow').implement({
  description:
    'The window sent upstream: DescribeBackups filters in whole minutes, so startTime is rounded ' +
    'down and endTime up to the minute.',
  fields: (t) => ({
    startTime: t.expose('startTime', { type: 'DateTime' }),
    endTime: t.expose('endTime', { type: 'DateTime' }),
  }),
});

export const BackupFilterInput = builder.inputType('BackupFilterInput', {
  description: 'Which backups to list. Changing it while paging invalidates the cursors.',
  fields: (t) => ({
    startTime: t.field({
      type: 'DateTime',
      description:
        'Earliest BackupStartTime, inclusive. Rounded down to the minute before it is sent, ' +
        'because the API filters in whole minutes. Default: 2010-01-01T00:00:00Z.',
    }),
    endTime: t.field({
      type: 'DateTime',
      description:
        'Latest BackupStartTime, inclusive. Rounded up to the minute before it is sent. Default: ' +
        "the request's time, read once per request and pinned in the cursors, so later pages of " +
        'one listing see the same window.',
    }),
    backupId: t.id({ description: 'Only the backup set with this BackupId.' }),
    backupJobId: t.id({ description: 'Only the backups of this backup job (BackupJobID).' }),
    includeAof: t.boolean({
      description:
        'Sent upstream as NeedAof=1 (AOF persistence backups included); never filtered here.',
    }),
  }),
});

type ConnectionResult = Omit<BackupPage, 'totalCount'> & ConnectionExtras;

function failedPage(
  args: BackupConnectionArgs,
  window: TimeWindow,
  error: TairError,
): ConnectionResult {
  const given = args.after ?? args.before ?? null;

  // The client keeps what it has and can retry this very page with the same cursor.
  return {
    edges: [],
    pageInfo: {
      hasNextPage: args.after != null,
      hasPreviousPage: args.before != null,
      startCursor: given,
      endCursor: given,
    },
    totalCount: null,
    window,
    error,
  };
}

/** Resolves `Instance.backups`: failures land in `error`, never in the GraphQL errors list. */
export async function resolveBackupConnection(
  instance: InstanceShape,
  args: BackupConnectionArgs,
  loaders: BackupLoaders,
  now: Date,
): Promise<ConnectionResult> {
  const window = planWindow(args, now);
  try {
    const query = parseBackupPageQuery(instance.id, args, now);
    const page = await resolveBackupPage(query, loaders);

    return { ...page, window: query.window, error: null };
  } catch (error) {
    if (!(error instanceof TairError)) {
      throw error;
    }

    return failedPage(args, window, forInstance(error, instance));
  }
}

export const BackupConnectionRef = builder.connectionObject(
  {
    type: BackupRef,
    name: 'BackupConnection',
    fields: (c) => ({
      totalCount: c.int({
        nullable: true,
        description:
          'Backups in the window: the smallest count upstream reported, lowered to the proven ' +
          'end of the list when a page came back short. Null when the page could not be fetched.',
        resolve: (connection) => (connection as unknown as ConnectionExtras).totalCount,
      }),
      window: c.field({
        type: TimeWindowRef,
        description: 'The minute-aligned window actually sent upstream.',
        resolve: (connection) => (connection as unknown as ConnectionExtras).window,
      }),
      error: c.field({
        type: ErrorInterface,
        nullable: true,
        description: 'Null on success; otherwise why this page is empty.',
        // graphql-js treats an Error returned by a resolver as thrown; the errors plugin's proxy
        // keeps it a value, typed by its class.
        resolve: (connection) => {
          const error = (connection as unknown as ConnectionExtras).error;

          return error === null
            ? null
            : (wrapErrorIfMatches(error, CONNECTION_ERROR_TYPES) as TairError);
        },
      }),
    }),
  },
  { name: 'BackupEdge' },
);
