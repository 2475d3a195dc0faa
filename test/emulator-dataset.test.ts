import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import RPCClient from '@alicloud/pop-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, loadDatasetFile, parseDataset } from '../src/emulator/dataset.js';
import {
  createDemoDataset,
  DEMO_BIG_BACKUP_ID,
  DEMO_INSTANCE_IDS,
  DEMO_REFERENCE_DATE,
} from '../src/emulator/demo-data.js';
import { generateBackups } from '../src/emulator/generate-backups.js';
import { NonceStore } from '../src/emulator/nonce-store.js';
import { startEmulator } from '../src/emulator/server.js';
import { canonicalQuery, signV1Params } from '../src/emulator/signature.js';

const SAMPLE = fileURLToPath(new URL('./fixtures/emulator-sample.json', import.meta.url));
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const scratchDirs: string[] = [];

/** A new directory under the OS's temp dir, removed after this file's tests. */
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-'));
  scratchDirs.push(dir);

  return dir;
}
afterAll(() => {
  for (const dir of scratchDirs) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('generateBackups', () => {
  it.each([0, 1, 29, 30, 31, 60, 61, 450])(
    'builds %i distinct items, newest first, at whole seconds',
    (count) => {
      const items = generateBackups({
        instanceId: 'r-gen',
        count,
        newest: new Date('2026-11-29T03:00:17.900Z'),
        intervalMinutes: 60,
      });
      const starts = items.map((backup) => backup.BackupStartTime!);

      expect(items).toHaveLength(count);
      expect(new Set(starts).size).toBe(count);
      expect(new Set(items.map((backup) => String(backup.BackupId))).size).toBe(count);
      expect(starts.every((start) => TIME.test(start))).toBe(true);
      expect([...starts].sort().reverse()).toEqual(starts);
      if (count > 0) {
        expect(starts[0]).toBe('2026-11-29T03:00:17Z');
        expect(starts.at(-1)).toBe(
          new Date(Date.parse('2026-11-29T03:00:17Z') - (count - 1) * 3_600_000)
            .toISOString()
            .replace('.000', ''),
        );
      }
    },
  );

  it('gives the same items for the same options', () => {
    const options = {
      instanceId: 'r-gen',
      count: 40,
      newest: new Date('2026-11-01T00:00:17Z'),
      failed: [1],
    };

    expect(generateBackups(options)).toEqual(generateBackups(options));
    expect(generateBackups(options)[1]?.BackupStatus).toBe('Failed');
  });

  it('counts BackupIds up from firstBackupId, as bigint beyond 2^53', () => {
    const items = generateBackups({
      instanceId: 'r-gen',
      count: 3,
      newest: new Date('2026-11-01T00:00:00Z'),
      firstBackupId: 9007199254740991n,
    });

    expect(items.map((backup) => backup.BackupId)).toEqual([
      9007199254740993n,
      9007199254740992n,
      9007199254740991,
    ]);
  });
});

describe('the demo dataset', () => {
  const dataset = createDemoDataset();
  const all = Object.values(dataset.instances).flatMap((instance) => instance.Backups);
  const generated = all.filter((backup) => backup.BackupStartTime!.startsWith('2026'));

  it('is the same on every call and ends before the reference date', () => {
    expect(createDemoDataset()).toEqual(dataset);
    expect(
      generated.every(
        (backup) => Date.parse(backup.BackupStartTime!) < DEMO_REFERENCE_DATE.getTime(),
      ),
    ).toBe(true);
  });

  it('holds the instances a real account would', () => {
    const ids = DEMO_INSTANCE_IDS;
    const nodes = new Set(
      dataset.instances[ids.cluster]!.Backups.map((backup) => backup.NodeInstanceId),
    );

    expect([...nodes].sort()).toEqual([0, 1, 2, 3].map((shard) => `${ids.cluster}-db-${shard}`));
    expect(dataset.instances[ids.empty]!.Backups).toEqual([]);
    expect(dataset.instances[ids.large]!.Backups).toHaveLength(450);
    expect(dataset.instances[ids.denied]!.Fault).toMatchObject({
      Code: 'Forbidden.RAM',
      HttpStatus: 403,
    });
    expect(
      dataset.instances[ids.standard]!.Backups.some(
        (backup) => backup.BackupId === DEMO_BIG_BACKUP_ID,
      ),
    ).toBe(true);
  });

  it('mixes statuses, modes, types and sizes from kilobytes to tens of gigabytes', () => {
    const sizes = generated.map((backup) => Number(backup.BackupSize)).filter((size) => size > 0);

    expect(new Set(generated.map((backup) => backup.BackupStatus))).toEqual(
      new Set(['Success', 'Failed']),
    );
    expect(new Set(generated.map((backup) => backup.BackupMode))).toEqual(
      new Set(['Automated', 'Manual']),
    );
    expect(new Set(generated.map((backup) => backup.BackupType))).toEqual(
      new Set(['FullBackup', 'IncrementalBackup']),
    );
    expect(Math.min(...sizes)).toBeLessThan(1024 * 1024);
    expect(Math.max(...sizes)).toBeGreaterThan(10 * 2 ** 30);
    expect(generated.every((backup) => BigInt(backup.BackupId!) > 2n ** 31n)).toBe(true);
    expect(generated.some((backup) => backup.RecoverConfigMode !== undefined)).toBe(true);
    expect(
      generated
        .filter((backup) => backup.BackupStatus === 'Success')
        .every((backup) => backup.BackupDownloadURL!.startsWith('https://rdsbak-')),
    ).toBe(true);
  });
});

describe('dataset files', () => {
  it('serves a file dataset as given, big numbers exact and odd values unchanged', async () => {
    const emulator = await startEmulator({ dataset: await loadDatasetFile(SAMPLE) });
    try {
      const params = {
        Action: 'DescribeBackups',
        Version: '2015-01-01',
        InstanceId: 'r-bp1capturedxxxx',
        StartTime: '2024-05-01T00:00Z',
        EndTime: '2024-05-02T00:00Z',
      };
      const response = await fetch(
        `${emulator.url}/?${canonicalQuery(signV1Params('GET', params, emulator))}`,
      );
      const text = await response.text();

      expect(text).toContain('"BackupId":18014398509481985,');
      expect(text).toContain('"BackupJobID":9007199254740993,');
      expect(text).toContain('"FullStorageSize":123456789012,');
      expect(text).toContain('"TotalCount":7,');
      expect(text).toContain(
        '{"BackupStatus":"Unknown","BackupStartTime":"2024-05-01T09:00:00Z","BackupType":"FullBackup","BackupId":"1234","BackupSize":"2048","NodeInstanceId":"r-bp1capturedxxxx","ExtraField":true}',
      );
    } finally {
      await emulator.close();
    }
  });

  it('arms the faults a file declares', async () => {
    const emulator = await startEmulator({ dataset: await loadDatasetFile(SAMPLE) });
    try {
      const client = new RPCClient({
        accessKeyId: emulator.accessKeyId,
        accessKeySecret: emulator.accessKeySecret,
        endpoint: emulator.url,
        apiVersion: '2015-01-01',
      });
      const params = {
        InstanceId: 'r-bp1throttledxxx',
        StartTime: '2024-05-01T00:00Z',
        EndTime: '2024-05-02T00:00Z',
      };
      const first = await client
        .request('DescribeBackups', params, { method: 'GET' })
        .catch((error: { code: string }) => error.code);
      const second = await client.request<{ TotalCount: number }>('DescribeBackups', params, {
        method: 'GET',
      });

      expect(first).toBe('Throttling.User');
      expect(second.TotalCount).toBe(0);
    } finally {
      await emulator.close();
    }
  });

  it.each([
    ['[]', 'the top level must be an object'],
    ['{"instances": 3}', 'instances must be an object keyed by InstanceId, received 3'],
    [
      '{"instances": {"r-a": {"Backups": {}}}}',
      'instances.r-a.Backups must be an array of backup items',
    ],
    [
      '{"instances": {"r-a": {"Backups": [1]}}}',
      'instances.r-a.Backups[0] must be an object, received 1',
    ],
    [
      '{"instances": {"r-a": {"Backups": [], "Fault": {"Times": -1}}}}',
      'instances.r-a.Fault.Times must be a non-negative integer, received -1',
    ],
    [
      '{"instances": {"r-a": {"Backups": [], "FullStorageSize": "big"}}}',
      'instances.r-a.FullStorageSize must be an integer, received "big"',
    ],
    [
      '{"instances": {"r-a": {"Backups": [], "Fault": {"Code": "X", "HttpStatus": 42}}}}',
      'instances.r-a.Fault.HttpStatus must be an integer from 200 to 599, received 42',
    ],
    [
      '{"instances": {"r-a": {"Backups": [], "Fault": {"LatencyMs": 1e12}}}}',
      'instances.r-a.Fault.LatencyMs must be an integer from 0 to 2147483647, received 1000000000000',
    ],
    [
      '{"instances": {}, "LatencyMs": "slow"}',
      'LatencyMs must be a number from 0 to 2147483647, received "slow"',
    ],
    [
      '{"instances": {}, "LatencyMs": 3000000000}',
      'LatencyMs must be a number from 0 to 2147483647, received 3000000000',
    ],
    ['{"instances": ', 'not valid JSON'],
  ])('rejects %s naming the file and the field', (text, message) => {
    expect(() => parseDataset(text, 'data.json')).toThrow(DatasetError);
    expect(() => parseDataset(text, 'data.json')).toThrow(`data.json: ${message}`);
  });

  it('rejects an unreadable file naming its path', async () => {
    const path = join(scratchDir(), 'missing.json');

    await expect(loadDatasetFile(path)).rejects.toThrow(`${path}: cannot read the dataset file`);
  });

  it('reads a file written with big numbers back exactly', async () => {
    const path = join(scratchDir(), 'big.json');
    writeFileSync(path, '{"instances":{"r-a":{"Backups":[{"BackupId":9007199254740993}]}}}');
    const dataset = await loadDatasetFile(path);

    expect(dataset.instances['r-a']!.Backups[0]!.BackupId).toBe(9007199254740993n);
  });
});

describe('NonceStore', () => {
  it('refuses a nonce seen within the tolerance and forgets it afterwards', () => {
    const store = new NonceStore(1000);

    expect(store.remember('a', 10_000, 10_000)).toBe(true);
    expect(store.remember('a', 10_000, 10_500)).toBe(false);
    expect(store.remember('b', 10_000, 10_900)).toBe(true);
    expect(store.size).toBe(2);
    expect(store.remember('c', 12_000, 12_000)).toBe(true);
    expect(store.size).toBe(1);
    expect(store.remember('a', 12_000, 12_000)).toBe(true);
  });
});
