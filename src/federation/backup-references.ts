import DataLoader from 'dataloader';
import type { BackupLoaders, PageRequest } from '../loaders/backup-loaders.js';
import { parseNodeId } from '../paging/global-id.js';
import { backupGlobalId } from '../schema/backup.js';
import type { Backup, DescribeBackupsPage } from '../tair/types.js';
import { MAX_PAGE_SIZE } from '../wire/describe-backups.js';
import {
  type BackupReference,
  narrowGroup,
  planReferenceGroups,
  type ReferenceGroup,
} from './reference-groups.js';

/** One reference loader per request: keyed on the request's own loaders, so it dies with them. */
const loadersOfRequest = new WeakMap<BackupLoaders, DataLoader<string, Backup | null>>();

function pageOf(group: ReferenceGroup, pageNumber: number): PageRequest {
  return {
    instanceId: group.instanceId,
    startTime: group.startTime,
    endTime: group.endTime,
    needAof: group.needAof,
    backupId: null,
    backupJobId: null,
    pageSize: MAX_PAGE_SIZE,
    pageNumber,
  };
}

/** Whether rows of the window may lie past this page: it is full and upstream counts more. */
function overflows(page: DescribeBackupsPage, pageNumber: number): boolean {
  return page.backups.length >= MAX_PAGE_SIZE && page.totalCount > pageNumber * MAX_PAGE_SIZE;
}

/**
 * Resolves one group into `found`: page 1 of its window first; the references a full page did not
 * hold are asked again in narrower windows, and only a one-minute window is paged on, until a page
 * comes back short. Every call goes through the request's page loader, so a page the connection
 * path asked for in the same request is not asked twice.
 */
async function resolveGroup(
  group: ReferenceGroup,
  loaders: BackupLoaders,
  found: Map<string, Backup>,
): Promise<void> {
  let missing = group.members;
  let pageNumber = 1;
  for (;;) {
    const page = await loaders.page(pageOf(group, pageNumber));
    for (const backup of page.backups) {
      // Matched on the whole id, as `Backup.id` writes it, never on BackupId alone.
      found.set(backupGlobalId(backup), backup);
    }
    missing = missing.filter((member) => !found.has(member.id));
    if (missing.length === 0 || !overflows(page, pageNumber)) {
      return;
    }

    const narrower = pageNumber === 1 ? narrowGroup(group, missing) : null;
    if (narrower !== null) {
      await Promise.all(narrower.map((next) => resolveGroup(next, loaders, found)));

      return;
    }
    pageNumber += 1;
  }
}

/**
 * Resolves Backup references by global id, in order: null for an id that names no
 * backup, the Error of the failed call for one whose call failed. The
 * references are grouped by instance and start minute so that each group costs one call
 * (PageSize 300, page 1, no BackupId filter); see planReferenceGroups and narrowGroup.
 */
export async function resolveBackupReferences(
  ids: readonly string[],
  loaders: BackupLoaders,
): Promise<Array<Backup | null | Error>> {
  const references: BackupReference[] = [];
  for (const id of new Set(ids)) {
    const parsed = parseNodeId(id);
    if (parsed.kind === 'Backup') {
      const { kind: _kind, ...key } = parsed;
      references.push({ id, ...key });
    }
  }

  const found = new Map<string, Backup>();
  const failed = new Map<string, Error>();
  await Promise.all(
    planReferenceGroups(references).map((group) =>
      resolveGroup(group, loaders, found).catch((error: unknown) => {
        // A failed call fails only the references it was made for and has not found yet.
        for (const member of group.members) {
          if (!found.has(member.id)) {
            failed.set(member.id, error instanceof Error ? error : new Error(String(error)));
          }
        }
      }),
    ),
  );

  return ids.map((id) => found.get(id) ?? failed.get(id) ?? null);
}

/**
 * The request's loader of Backups by global id. `_entities` calls resolveReference once per
 * representation; this gathers the representations of one tick into one resolveBackupReferences.
 */
export function backupReferenceLoader(loaders: BackupLoaders): DataLoader<string, Backup | null> {
  let loader = loadersOfRequest.get(loaders);
  if (loader === undefined) {
    loader = new DataLoader((ids) => resolveBackupReferences(ids, loaders), {
      maxBatchSize: 1000,
    });
    loadersOfRequest.set(loaders, loader);
  }

  return loader;
}
