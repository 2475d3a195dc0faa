import type { BackupNodeKey } from '../paging/global-id.js';
import { MAX_PAGE_SIZE } from '../wire/describe-backups.js';

const MINUTE_MS = 60_000;

/** One Backup representation to resolve: its global id and what the id holds. */
export interface BackupReference extends BackupNodeKey {
  id: string;
}

/** References of one instance that one DescribeBackups call (PageSize 300) may answer together. */
export interface ReferenceGroup {
  instanceId: string;
  /** Sorted by start minute, then BackupId; at most MAX_PAGE_SIZE of them. */
  members: BackupReference[];
  /** From the earliest start minute to one minute past the latest, as the API filters. */
  startTime: Date;
  endTime: Date;
  /** NeedAof=1 when any member is an AOF (incremental) backup: full ones are listed either way. */
  needAof: boolean;
}

function byStart(a: BackupReference, b: BackupReference): number {
  const time = a.startMinute.getTime() - b.startMinute.getTime();
  if (time !== 0) {
    return time;
  }

  return a.backupId.length - b.backupId.length || (a.backupId < b.backupId ? -1 : 1);
}

/** The group of references already sorted and of one instance. */
export function groupOf(members: BackupReference[]): ReferenceGroup {
  const first = members[0]!;
  const last = members.at(-1)!;

  return {
    instanceId: first.instanceId,
    members,
    startTime: first.startMinute,
    endTime: new Date(last.startMinute.getTime() + MINUTE_MS),
    needAof: members.some((member) => member.aof),
  };
}

/**
 * Groups references by instance, then packs each instance's start minutes in order into groups of
 * at most MAX_PAGE_SIZE: a group of more could never be answered by one page. How many backups a
 * window holds is unknown before the call, so a group is not cut by its span; a group whose call
 * overflows is split afterwards (see splitGroup).
 */
export function planReferenceGroups(references: readonly BackupReference[]): ReferenceGroup[] {
  const byInstance = new Map<string, BackupReference[]>();
  for (const reference of references) {
    const list = byInstance.get(reference.instanceId) ?? [];
    list.push(reference);
    byInstance.set(reference.instanceId, list);
  }

  const groups: ReferenceGroup[] = [];
  for (const list of byInstance.values()) {
    list.sort(byStart);
    for (let start = 0; start < list.length; start += MAX_PAGE_SIZE) {
      groups.push(groupOf(list.slice(start, start + MAX_PAGE_SIZE)));
    }
  }

  return groups;
}

/**
 * What to ask next for the references a full page did not hold. The API's order is undocumented,
 * so rows a page did not return prove nothing about where the others lie; only a narrower window
 * does. First the window of the missing references alone, when it is narrower than the one asked;
 * otherwise two groups split at the widest gap between their start minutes. Null when the window
 * is already one minute: nothing narrower exists, and the caller pages on.
 */
export function narrowGroup(
  asked: ReferenceGroup,
  missing: readonly BackupReference[],
): ReferenceGroup[] | null {
  const sorted = [...missing].sort(byStart);
  const narrowed = groupOf(sorted);
  if (narrowed.endTime.getTime() - narrowed.startTime.getTime() < spanOf(asked)) {
    return [narrowed];
  }

  let widest = 0;
  let cut = -1;
  for (let index = 1; index < sorted.length; index++) {
    const gap = sorted[index]!.startMinute.getTime() - sorted[index - 1]!.startMinute.getTime();
    if (gap > widest) {
      widest = gap;
      cut = index;
    }
  }

  return cut === -1 ? null : [groupOf(sorted.slice(0, cut)), groupOf(sorted.slice(cut))];
}

function spanOf(group: ReferenceGroup): number {
  return group.endTime.getTime() - group.startTime.getTime();
}
