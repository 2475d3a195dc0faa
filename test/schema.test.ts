import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLScalarType, lexicographicSortSchema, printSchema } from 'graphql';
import { URLResolver } from 'graphql-scalars';
import { describe, expect, it } from 'vitest';
import { gatewaySchema } from '../src/schema/index.js';
import { printGatewaySchema } from '../src/schema/print.js';

const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema` after changing it)', () => {
    expect(printGatewaySchema()).toBe(committed);
  });

  it('prints identically after a print → build → print round trip', () => {
    const rebuilt = `${printSchema(lexicographicSortSchema(buildSchema(committed)))}\n`;

    expect(rebuilt).toBe(committed);
  });

  it('keeps the names of the public contract', () => {
    const schema = buildSchema(committed);
    const fields = (type: string) =>
      Object.keys((schema.getType(type) as unknown as { getFields(): object }).getFields()).sort();

    expect(fields('Query')).toEqual(expect.arrayContaining(['instance', 'instances', 'node']));
    expect(fields('Instance')).toEqual(expect.arrayContaining(['backupStorage', 'backups', 'id']));
    expect(fields('BackupConnection')).toEqual(
      expect.arrayContaining(['edges', 'error', 'pageInfo', 'totalCount', 'window']),
    );
    expect(fields('Backup')).toEqual(
      expect.arrayContaining([
        'backupId',
        'databases',
        'downloadUrl',
        'endTime',
        'engineVersion',
        'expiresAt',
        'id',
        'instance',
        'intranetDownloadUrl',
        'jobId',
        'method',
        'mode',
        'nodeId',
        'recoverConfig',
        'sizeBytes',
        'startTime',
        'status',
        'type',
      ]),
    );
    expect(fields('Error')).toEqual(['code', 'message', 'requestId', 'retryable', 'upstreamCode']);
    expect(fields('BackupFilterInput')).toEqual([
      'backupId',
      'backupJobId',
      'endTime',
      'includeAof',
      'startTime',
    ]);
    expect(committed).toContain(
      'union InstanceBackupStorageResult = AccessDeniedError | BackupStorage | CredentialsError | InstanceNotFoundError | InvalidArgumentError | ThrottledError | UpstreamError',
    );
  });
});

describe('output scalars', () => {
  const scalar = (name: string) => gatewaySchema().getType(name) as GraphQLScalarType;

  it('serialises DateTime to its UTC ISO string, not to a Date', () => {
    expect(scalar('DateTime').serialize(new Date('2026-11-30T18:06:30+08:00'))).toBe(
      '2026-11-30T10:06:30.000Z',
    );
  });

  it('returns a URL string as upstream sent it, where graphql-scalars would re-print it', () => {
    const sent = 'HTTPS://Bucket.Example.COM/backup.rdb?Expires=1&Signature=a%2Fb';

    expect(scalar('URL').serialize(sent)).toBe(sent);
    expect(URLResolver.serialize(sent)).not.toBe(sent);
  });
});
