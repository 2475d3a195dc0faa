import JSONbig from 'json-bigint';
import { describe, expect, it } from 'vitest';
import { type CheckedPageBody, checkPageShape, normalizePage } from '../src/tair/normalize.js';
import { type Backup, UnsafeInteger } from '../src/tair/types.js';
import { EXAMPLE_PAGE, EXAMPLE_TEXT } from './fixtures/client-example.js';
import { capturingLogger } from './fixtures/client-logger.js';

/** Parses as pop-core does: json-bigint, integers past 15 digits as BigNumber. */
function parseLikePopCore(text: string): CheckedPageBody {
  return JSONbig.parse(text) as CheckedPageBody;
}

function pageWith(items: unknown[], extra: Record<string, unknown> = {}): CheckedPageBody {
  return {
    RequestId: 'REQ-1',
    PageNumber: 1,
    PageSize: 30,
    TotalCount: items.length,
    Backups: { Backup: items },
    ...extra,
  };
}

const GOOD_ITEM = { BackupId: 7, BackupStartTime: '2024-05-01T10:06:30Z' };

function normalizeOne(item: Record<string, unknown>) {
  const capture = capturingLogger();
  const page = normalizePage(pageWith([{ ...GOOD_ITEM, ...item }]), {
    instanceId: 'r-x',
    requestId: 'REQ-1',
    logger: capture.logger,
  });

  return {
    backup: page.backups[0] as Backup,
    page,
    warnings: capture.lines.filter((l) => l.level === 40),
  };
}

describe('normalizePage', () => {
  it('turns the published example into the exact typed page', () => {
    const capture = capturingLogger();
    const page = normalizePage(parseLikePopCore(EXAMPLE_TEXT), {
      instanceId: 'r-bp10noxlhcoim2****',
      requestId: '963C20F0-7CE1-4591-AAF3-6F3CD1CE****',
      logger: capture.logger,
    });

    expect(page).toStrictEqual(EXAMPLE_PAGE);
    expect(capture.lines).toEqual([]);
  });

  it('keeps BackupIds and job ids past 2^53 exact when json-bigint hands them over as BigNumbers', () => {
    const body = parseLikePopCore(
      '{"RequestId":"R","PageNumber":1,"PageSize":30,"TotalCount":1,"FullStorageSize":18014398509481985,' +
        '"Backups":{"Backup":[{"BackupId":9007199254740993,"BackupJobID":123456789012345678901,' +
        '"BackupStartTime":"2024-05-01T10:06:30Z","BackupSize":9007199254740993}]}}',
    );
    const page = normalizePage(body, {
      instanceId: 'r-x',
      requestId: 'R',
      logger: capturingLogger().logger,
    });

    expect(page.backups[0]?.backupId).toBe('9007199254740993');
    expect(page.backups[0]?.jobId).toBe('123456789012345678901');
    expect(page.backups[0]?.sizeBytes).toStrictEqual(new UnsafeInteger('9007199254740993'));
    expect(page.fullStorageSize).toStrictEqual(new UnsafeInteger('18014398509481985'));
  });

  it('keeps a 16-digit safe size a plain number although json-bigint sends it as a BigNumber', () => {
    const body = parseLikePopCore(
      '{"RequestId":"R","PageNumber":1,"PageSize":30,"TotalCount":1,' +
        '"Backups":{"Backup":[{"BackupId":"1","BackupStartTime":"2024-05-01T10:06:30Z","BackupSize":1234567890123456}]}}',
    );
    const page = normalizePage(body, {
      instanceId: 'r-x',
      requestId: 'R',
      logger: capturingLogger().logger,
    });

    expect(page.backups[0]?.sizeBytes).toBe(1234567890123456);
  });

  it('turns empty strings into null quietly: upstream sends "" for what it does not have', () => {
    const { backup, warnings } = normalizeOne({
      BackupStatus: '',
      BackupDownloadURL: '',
      EngineVersion: '',
      NodeInstanceId: '',
    });

    expect([backup.status, backup.downloadUrl, backup.engineVersion, backup.nodeId]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(warnings).toEqual([]);
  });

  it('turns unusable values into null with one warning per field naming field, RequestId and value', () => {
    const { backup, warnings } = normalizeOne({
      BackupStatus: 7,
      BackupDownloadURL: 'ftp://files.example/backup.rdb?Signature=s',
      EngineVersion: ['7.0'],
    });

    expect([backup.status, backup.downloadUrl, backup.engineVersion]).toEqual([null, null, null]);
    expect(warnings.map((w) => [w.field, w.requestId, w.value])).toEqual([
      ['BackupStatus', 'REQ-1', '7'],
      ['BackupDownloadURL', 'REQ-1', 'ftp://files.example/backup.rdb'],
      ['EngineVersion', 'REQ-1', '7.0'],
    ]);
  });

  it('turns objects without a prototype, as json-bigint builds them, into null with a warning', () => {
    const parsed = parseLikePopCore(
      JSON.stringify(
        pageWith([
          { ...GOOD_ITEM, NodeInstanceId: { x: 1 }, BackupStatus: { y: [2] } },
          { BackupId: { z: 3 }, BackupStartTime: '2024-05-01T10:06:30Z' },
        ]),
      ),
    );
    expect(Object.getPrototypeOf(parsed.Backups.Backup[0])).toBeNull();
    const capture = capturingLogger();
    const page = normalizePage(parsed, {
      instanceId: 'r-x',
      requestId: 'REQ-1',
      logger: capture.logger,
    });

    expect(page.backups.map((b) => [b.backupId, b.nodeId, b.status])).toEqual([['7', null, null]]);
    expect(page.droppedItems).toBe(1);
    expect(
      capture.lines.filter((l) => l.level === 40 && l.field).map((w) => [w.field, w.value]),
    ).toEqual([
      ['BackupStatus', '{"y":[2]}'],
      ['NodeInstanceId', '{"x":1}'],
      ['BackupId', '{"z":3}'],
    ]);
  });

  it('warns once per field and problem for a whole page, counting the items that share it', () => {
    const capture = capturingLogger();
    const odd = {
      BackupStatus: 'Failed',
      BackupDownloadURL: 'not a url',
      BackupIntranetDownloadURL: 'x',
    };
    normalizePage(
      pageWith([
        { ...GOOD_ITEM, ...odd },
        { ...GOOD_ITEM, BackupId: 8, ...odd },
        { ...GOOD_ITEM, BackupId: 9, ...odd },
      ]),
      { instanceId: 'r-x', requestId: 'REQ-1', logger: capture.logger },
    );
    const warnings = capture.lines.filter((line) => line.level === 40);

    expect(warnings.map((w) => [w.field, w.items, w.msg])).toEqual([
      ['BackupDownloadURL', 3, 'DescribeBackups field BackupDownloadURL: unusable value (3 items)'],
      [
        'BackupIntranetDownloadURL',
        3,
        'DescribeBackups field BackupIntranetDownloadURL: unusable value (3 items)',
      ],
    ]);
  });

  it('turns unparsable times into null with a warning and accepts the minute form', () => {
    const { backup, warnings } = normalizeOne({
      BackupEndTime: '2024-02-30T10:00:00Z',
      ExpectExpireTime: '2024-05-01T10:06Z',
    });

    expect(backup.endTime).toBeNull();
    expect(backup.expiresAt).toStrictEqual(new Date('2024-05-01T10:06:00Z'));
    expect(warnings.map((w) => w.field)).toEqual(['BackupEndTime']);
  });

  it.each([
    ['2024-05-01 10:06:30'],
    ['2024-05-01T10:06:30+08:00'],
    ['2024-05-01T10:06:30.000Z'],
    ['2024-05-01T24:00:00Z'],
    ['1714557990'],
  ])('refuses the time %s', (value) => {
    expect(normalizeOne({ BackupEndTime: value }).backup.endTime).toBeNull();
  });

  it('turns URLs that are not http(s) into null with a warning that omits the query', () => {
    const { backup, warnings } = normalizeOne({
      BackupDownloadURL: 'ftp://host/file?Signature=secret',
      BackupIntranetDownloadURL: 'not a url',
    });

    expect([backup.downloadUrl, backup.intranetDownloadUrl]).toEqual([null, null]);
    expect(warnings.map((w) => w.value)).toEqual(['ftp://host/file', 'not a url']);
  });

  it('keeps unknown enum strings as sent', () => {
    const { backup, warnings } = normalizeOne({
      BackupStatus: 'Running',
      BackupType: 'SnapshotBackup',
      BackupMode: 'Scheduled',
      BackupMethod: 'Snapshot',
    });

    expect([backup.status, backup.type, backup.mode, backup.method]).toEqual([
      'Running',
      'SnapshotBackup',
      'Scheduled',
      'Snapshot',
    ]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['{whitelist:true}', null],
    ['[true]', null],
    ['null', null],
    ['"text"', null],
    ['{"whitelist":"yes","config":false}', { whitelist: null, config: false, account: null }],
  ])('reads RecoverConfigMode %s without failing', (value, expected) => {
    const { backup, warnings } = normalizeOne({ RecoverConfigMode: value });

    expect(backup.recoverConfig).toStrictEqual(expected);
    expect(warnings.map((w) => w.field)).toEqual(['RecoverConfigMode']);
  });

  it('splits BackupDBNames on commas, trims and drops empties', () => {
    expect(normalizeOne({ BackupDBNames: ' 0, 1 ,,2 ,' }).backup.databases).toEqual([
      '0',
      '1',
      '2',
    ]);
  });

  it('turns a size that is negative, fractional or an unsafe JS number into null', () => {
    expect(normalizeOne({ BackupSize: -1 }).backup.sizeBytes).toBeNull();
    expect(normalizeOne({ BackupSize: 1.5 }).backup.sizeBytes).toBeNull();
    expect(normalizeOne({ BackupSize: 2 ** 60 }).backup.sizeBytes).toBeNull();
    expect(normalizeOne({ BackupSize: '9223372036854775807' }).backup.sizeBytes).toStrictEqual(
      new UnsafeInteger('9223372036854775807'),
    );
  });

  it('keeps an unsafe JS number BackupId but warns that it is suspect', () => {
    const { backup, warnings } = normalizeOne({ BackupId: 2 ** 60 });

    expect(backup.backupId).toBe('1152921504606846976');
    expect(warnings[0]?.msg).toMatch(/unsafe JS number/);
  });

  it('drops items without a usable BackupId or BackupStartTime and counts them in one warning', () => {
    const capture = capturingLogger();
    const page = normalizePage(
      pageWith([
        GOOD_ITEM,
        { BackupId: '', BackupStartTime: '2024-05-01T10:06:30Z' },
        { BackupId: 'abc', BackupStartTime: '2024-05-01T10:06:30Z' },
        { BackupId: 8 },
        { BackupId: 9, BackupStartTime: 'yesterday' },
        'not an item',
        null,
      ]),
      { instanceId: 'r-x', requestId: 'REQ-1', logger: capture.logger },
    );

    expect(page.backups.map((b) => b.backupId)).toEqual(['7']);
    expect(page.droppedItems).toBe(6);
    expect(page.droppedAt).toEqual([1, 2, 3, 4, 5, 6]);
    const summaries = capture.lines.filter((l) => l.droppedItems !== undefined);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ droppedItems: 6, requestId: 'REQ-1', instanceId: 'r-x' });
  });

  it('keeps a 20-digit BackupId and drops a 21-digit one, which no cursor or global ID could carry', () => {
    const capture = capturingLogger();
    const page = normalizePage(
      parseLikePopCore(
        '{"RequestId":"REQ-1","PageNumber":1,"PageSize":30,"TotalCount":2,"Backups":{"Backup":[' +
          '{"BackupId":18446744073709551615,"BackupStartTime":"2024-05-01T10:06:30Z"},' +
          '{"BackupId":184467440737095516150,"BackupStartTime":"2024-05-01T10:06:30Z"}]}}',
      ),
      { instanceId: 'r-x', requestId: 'REQ-1', logger: capture.logger },
    );

    expect(page.backups.map((b) => b.backupId)).toEqual(['18446744073709551615']);
    expect(page.droppedItems).toBe(1);
    const summary = capture.lines.find((l) => l.droppedItems !== undefined);
    expect(summary?.reasons).toEqual(['no usable BackupId (184467440737095516150)']);
  });

  it('sets every backup instanceId to the requested instance', () => {
    const { backup } = normalizeOne({ NodeInstanceId: 'r-other-db-1' });

    expect(backup.instanceId).toBe('r-x');
    expect(backup.nodeId).toBe('r-other-db-1');
  });
});

describe('checkPageShape', () => {
  it('accepts the published example', () => {
    expect(checkPageShape(parseLikePopCore(EXAMPLE_TEXT))).toBeNull();
  });

  it.each([
    [null, 'the body is null, not an object'],
    [[], 'the body is an array, not an object'],
    [
      { PageNumber: 1, PageSize: 30, TotalCount: 0, Backups: { Backup: [] } },
      'RequestId is not a string',
    ],
    [
      { RequestId: 'R', PageNumber: 1, PageSize: 30, Backups: { Backup: [] } },
      'TotalCount is not a non-negative integer',
    ],
    [
      { RequestId: 'R', PageNumber: '1', PageSize: 30, TotalCount: 0, Backups: { Backup: [] } },
      'PageNumber is not a non-negative integer',
    ],
    [
      { RequestId: 'R', PageNumber: 1, PageSize: 30, TotalCount: 0, Backups: {} },
      'Backups.Backup is not an array',
    ],
    [
      { RequestId: 'R', PageNumber: 1, PageSize: 30, TotalCount: 0, Backups: { Backup: {} } },
      'Backups.Backup is not an array',
    ],
  ])('names what is wrong with %j', (body, problem) => {
    expect(checkPageShape(body)).toBe(problem);
  });
});
