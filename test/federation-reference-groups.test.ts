import { describe, expect, it } from 'vitest';
import {
  type BackupReference,
  narrowGroup,
  planReferenceGroups,
} from '../src/federation/reference-groups.js';
import { encodeBackupId } from '../src/paging/global-id.js';

const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 10, 1);

function reference(instanceId: string, backupId: string, hours: number, aof = false) {
  const key = { instanceId, backupId, startMinute: new Date(BASE + hours * HOUR), aof };

  return { id: encodeBackupId(key), ...key } satisfies BackupReference;
}

const iso = (date: Date) => date.toISOString();

describe('planReferenceGroups', () => {
  it('makes one group per instance, sorted by start minute, windowed to one minute past the last', () => {
    const groups = planReferenceGroups([
      reference('r-a', '5', 10),
      reference('r-b', '7', 3),
      reference('r-a', '4', 2, true),
      reference('r-a', '6', 30),
    ]);

    expect(groups.map((group) => group.instanceId)).toEqual(['r-a', 'r-b']);
    expect(groups[0]!.members.map((member) => member.backupId)).toEqual(['4', '5', '6']);
    expect(iso(groups[0]!.startTime)).toBe('2026-11-01T02:00:00.000Z');
    expect(iso(groups[0]!.endTime)).toBe('2026-11-02T06:01:00.000Z');
    expect(groups[0]!.needAof).toBe(true);
    expect(groups[1]!.needAof).toBe(false);
    expect(iso(groups[1]!.endTime)).toBe('2026-11-01T03:01:00.000Z');
  });

  it('orders references of one minute by BackupId as a number', () => {
    const [group] = planReferenceGroups([
      reference('r-a', '100', 1),
      reference('r-a', '99', 1),
      reference('r-a', '101', 1),
    ]);

    expect(group!.members.map((member) => member.backupId)).toEqual(['99', '100', '101']);
  });

  it('cuts an instance into groups of at most 300 references', () => {
    const many = Array.from({ length: 650 }, (_, index) =>
      reference('r-a', String(1000 + index), 650 - index),
    );
    const groups = planReferenceGroups(many);

    expect(groups.map((group) => group.members.length)).toEqual([300, 300, 50]);
    expect(groups[0]!.members[0]!.backupId).toBe('1649');
    expect(iso(groups[1]!.startTime)).toBe(iso(new Date(BASE + 301 * HOUR)));
  });
});

describe('narrowGroup', () => {
  const asked = planReferenceGroups([
    reference('r-a', '1', 0),
    reference('r-a', '2', 100),
    reference('r-a', '3', 250, true),
  ])[0]!;

  it('asks again for the window of the missing references when it is narrower', () => {
    const next = narrowGroup(asked, [asked.members[0]!, asked.members[1]!]);

    expect(next).toHaveLength(1);
    expect(iso(next![0]!.startTime)).toBe(iso(new Date(BASE)));
    expect(iso(next![0]!.endTime)).toBe(iso(new Date(BASE + 100 * HOUR + 60_000)));
    expect(next![0]!.needAof).toBe(false);
  });

  it('splits at the widest gap when the missing references span the whole window', () => {
    const next = narrowGroup(asked, asked.members);

    expect(next!.map((group) => group.members.map((member) => member.backupId))).toEqual([
      ['1', '2'],
      ['3'],
    ]);
    expect(next![1]!.needAof).toBe(true);
  });

  it('gives up narrowing when the window is already one minute', () => {
    const crowd = planReferenceGroups([reference('r-a', '1', 5), reference('r-a', '2', 5)])[0]!;

    expect(narrowGroup(crowd, crowd.members)).toBeNull();
    expect(narrowGroup(crowd, [crowd.members[1]!])).toBeNull();
  });
});
