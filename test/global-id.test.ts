import { describe, expect, it } from 'vitest';
import {
  BACKUP_NODE_PREFIX,
  type BackupNodeKey,
  encodeBackupId,
  MAX_INSTANCE_ID_LENGTH,
  parseNodeId,
} from '../src/paging/global-id.js';

const START = new Date('2024-05-01T10:06:00.000Z');

function key(changes: Partial<BackupNodeKey> = {}): BackupNodeKey {
  return {
    instanceId: 'r-bp1zxszhcgatnx1234',
    backupId: '1234567890',
    startMinute: START,
    aof: false,
    ...changes,
  };
}

function forge(content: unknown): string {
  return BACKUP_NODE_PREFIX + Buffer.from(JSON.stringify(content), 'utf8').toString('base64url');
}

function reasonOf(id: string): string {
  const parsed = parseNodeId(id);
  if (parsed.kind !== 'Invalid') {
    throw new Error(`${id} parsed as ${parsed.kind}`);
  }

  return parsed.reason;
}

describe('encodeBackupId and parseNodeId', () => {
  it('round-trips a backup key', () => {
    expect(parseNodeId(encodeBackupId(key({ aof: true })))).toEqual({
      kind: 'Backup',
      ...key({ aof: true }),
    });
  });

  it('keeps a BackupId beyond 2^53 exact', () => {
    const parsed = parseNodeId(encodeBackupId(key({ backupId: '9007199254740993' })));

    expect(parsed).toMatchObject({ kind: 'Backup', backupId: '9007199254740993' });
    expect(parseNodeId(encodeBackupId(key({ backupId: '99999999999999999999' })))).toMatchObject({
      backupId: '99999999999999999999',
    });
  });

  it('round-trips instance ids holding any characters', () => {
    const weird = [
      'r-bp1 zx&y=z',
      'Backup:r-1',
      'ключ-实例-🔑',
      '"quoted"\\back\nslash\u0000',
      'a\ud800b',
      '+/==',
      'x'.repeat(MAX_INSTANCE_ID_LENGTH),
      '\ud800'.repeat(MAX_INSTANCE_ID_LENGTH),
    ];
    for (const instanceId of weird) {
      const id = encodeBackupId(key({ instanceId }));
      const parsed = parseNodeId(id);

      expect(parsed, instanceId).toEqual({ kind: 'Backup', ...key({ instanceId }) });
      expect(id.startsWith(BACKUP_NODE_PREFIX)).toBe(true);
    }
  });

  it('floors the start time to the minute', () => {
    const id = encodeBackupId(key({ startMinute: new Date('2024-05-01T10:06:59.999Z') }));

    expect(id).toBe(encodeBackupId(key()));
    expect(parseNodeId(id)).toMatchObject({ startMinute: START });
  });

  it('writes ids that do not show the instance id in clear text', () => {
    expect(encodeBackupId(key())).not.toContain('r-bp1zxszhcgatnx1234');
  });

  it('refuses keys it cannot encode, naming the field', () => {
    expect(() => encodeBackupId(key({ instanceId: '' }))).toThrow(/instanceId.*empty/);
    expect(() => encodeBackupId(key({ instanceId: 'x'.repeat(257) }))).toThrow(/instanceId.*257/);
    expect(() => encodeBackupId(key({ backupId: '12a' }))).toThrow(/backupId.*12a/);
    expect(() => encodeBackupId(key({ backupId: '007' }))).toThrow(/backupId.*007/);
    expect(() => encodeBackupId(key({ startMinute: new Date(Number.NaN) }))).toThrow(
      /startMinute.*Invalid Date/,
    );
    expect(() => encodeBackupId(key({ aof: 'yes' as unknown as boolean }))).toThrow(/aof.*yes/);
  });
});

describe('parseNodeId', () => {
  it('classifies instance ids as Instance, whatever they look like', () => {
    const ids = [
      'r-bp1zxszhcgatnx1234',
      'r-2ze5hhqq7aqjw9nvl',
      'tair-pcat8jcghcokd5ibdkkjm',
      'backup-abc',
      'Backup',
      'backup:x',
      'r-1',
      'QmFja3VwOg',
    ];
    for (const id of ids) {
      expect(parseNodeId(id), id).toEqual({ kind: 'Instance', instanceId: id });
    }
  });

  it('never classifies an id of the instance-ID shape as a Backup', () => {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (let n = 0; n < 2000; n += 1) {
      let id = 'r-';
      for (let i = 0; i < 3 + (n % 25); i += 1) {
        id += alphabet[(n * 7919 + i * 104729) % alphabet.length];
      }

      expect(parseNodeId(id).kind).toBe('Instance');
    }
  });

  it('returns Invalid for empty and overlong ids', () => {
    expect(reasonOf('')).toMatch(/empty/);
    expect(reasonOf('r'.repeat(MAX_INSTANCE_ID_LENGTH + 1))).toMatch(/257 characters/);
    expect(reasonOf(`${BACKUP_NODE_PREFIX}${'A'.repeat(5000)}`)).toMatch(/5007 characters/);
  });

  it('returns Invalid for a Backup id whose body is not base64url JSON', () => {
    expect(reasonOf('Backup:')).toMatch(/not base64url/);
    expect(reasonOf('Backup:!!!')).toMatch(/not base64url/);
    expect(reasonOf('Backup:YR')).toMatch(/not base64url/);
    expect(reasonOf(`Backup:${Buffer.from('not json').toString('base64url')}`)).toMatch(/JSON/);
  });

  it('returns Invalid for a Backup id holding the wrong key', () => {
    const good = ['r-1', '42', 28575966, 0];

    expect(reasonOf(forge({ instanceId: 'r-1' }))).toMatch(/backup key/);
    expect(reasonOf(forge(good.slice(0, 3)))).toMatch(/backup key/);
    expect(reasonOf(forge(['', '42', 28575966, 0]))).toMatch(/instance ID is empty/);
    expect(reasonOf(forge([7, '42', 28575966, 0]))).toMatch(/instance ID is empty/);
    expect(reasonOf(forge(['r-1', 42, 28575966, 0]))).toMatch(/BackupId 42/);
    expect(reasonOf(forge(['r-1', '-42', 28575966, 0]))).toMatch(/BackupId "-42"/);
    expect(reasonOf(forge(['r-1', '42', -1, 0]))).toMatch(/start minute -1/);
    expect(reasonOf(forge(['r-1', '42', 1.5, 0]))).toMatch(/start minute 1.5/);
    expect(reasonOf(forge(['r-1', '42', 28575966, true]))).toMatch(/aof true/);
    expect(parseNodeId(forge(good))).toMatchObject({ kind: 'Backup', backupId: '42' });
  });

  it('returns Invalid for a Backup id not in the form the gateway writes', () => {
    const spaced = `${BACKUP_NODE_PREFIX}${Buffer.from('[ "r-1","42",28575966,0]').toString('base64url')}`;

    expect(reasonOf(spaced)).toMatch(/not in the form/);
  });
});
