import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { EmulatorDataset } from '../src/emulator/types.js';
import { type Harness, startHarness } from './support/gateway-harness.js';

const PUBLIC_URL =
  'https://rdsbak-hz.oss-cn-hangzhou.aliyuncs.com/hins1_data_20261130.rdb?Expires=1796000000&OSSAccessKeyId=LTAIossowned&Signature=b3NzLXNpZ25lZA%3D%3D';
const INTRANET_URL =
  'https://rdsbak-hz.oss-cn-hangzhou-internal.aliyuncs.com/hins1_data_20261130.rdb?Expires=1796000000';

const DATASET: EmulatorDataset = {
  instances: {
    'r-urls': {
      Backups: [
        {
          BackupId: 900,
          BackupStartTime: '2026-11-30T10:00:17Z',
          BackupEndTime: '2026-11-30T10:02:00Z',
          BackupStatus: 'Success',
          BackupType: 'FullBackup',
          BackupMode: 'Automated',
          BackupMethod: 'Physical',
          BackupDownloadURL: PUBLIC_URL,
          BackupIntranetDownloadURL: INTRANET_URL,
        },
      ],
    },
  },
};

const QUERY =
  '{ instance(id: "r-urls") { backups(first: 1) { edges { node { downloadUrl intranetDownloadUrl } } } } }';

type Urls = { instance: { backups: { edges: Array<{ node: Record<string, string | null> }> } } };

let serving: Harness;
let withholding: Harness;

beforeAll(async () => {
  serving = await startHarness({ dataset: DATASET });
  withholding = await startHarness({
    dataset: DATASET,
    gateway: {
      settings: {
        withholdDownloadUrls: loadConfig({ WITHHOLD_DOWNLOAD_URLS: 'true' }).withholdDownloadUrls,
      },
    },
  });
});
afterAll(async () => {
  await serving.close();
  await withholding.close();
});

describe('backup download URLs', () => {
  it("returns upstream's pre-signed URLs unchanged by default: they are the product's data", async () => {
    const response = await serving.query<Urls>(QUERY);

    expect(response.body.data!.instance.backups.edges[0]!.node).toEqual({
      downloadUrl: PUBLIC_URL,
      intranetDownloadUrl: INTRANET_URL,
    });
  });

  it('answers null for both with WITHHOLD_DOWNLOAD_URLS=true, and no error', async () => {
    const response = await withholding.query<Urls>(QUERY);

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.instance.backups.edges[0]!.node).toEqual({
      downloadUrl: null,
      intranetDownloadUrl: null,
    });
    expect(JSON.stringify(response.body)).not.toContain('oss-cn-hangzhou');
  });
});
