import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuditResult, serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';

let harness: Harness;
let server: Server;
let url: string;

/**
 * SHOULDs the gateway does not meet, each with its reason in docs/graphql-over-http.md. The test
 * fails when one of them starts passing (update the list and the document) or another one fails.
 */
const SHOULDS_NOT_MET = new Set<string>([]);

beforeAll(async () => {
  harness = await startHarness({ dataset: { instances: { 'r-audit': instanceWith(3) } } });
  server = createServer(harness.gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await harness.close();
});

async function run(name: string): Promise<AuditResult> {
  const audit = serverAudits({ url: () => url, fetchFn: fetch }).find((a) => a.name === name);
  if (!audit) {
    throw new Error(`no graphql-http audit named ${JSON.stringify(name)}`);
  }

  return audit.fn();
}

// Names only: the url is read when an audit runs, after the server has started.
const AUDITS = serverAudits({ url: 'http://127.0.0.1/graphql' });
const MUSTS = AUDITS.filter((audit) => audit.name.startsWith('MUST')).map((audit) => audit.name);
const SHOULDS = AUDITS.filter((audit) => !audit.name.startsWith('MUST')).map((audit) => audit.name);

describe('GraphQL over HTTP (graphql-http serverAudits, over node:http)', () => {
  it('has audits to run', () => {
    expect(MUSTS.length).toBeGreaterThanOrEqual(13);
    expect(SHOULDS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(MUSTS)('%s', async (name) => {
    const result = await run(name);

    expect(result, 'reason' in result ? String(result.reason) : '').toMatchObject({ status: 'ok' });
  });

  it.each(SHOULDS)('%s', async (name) => {
    const result = await run(name);

    expect(result.status === 'ok').toBe(!SHOULDS_NOT_MET.has(name));
  });
});
