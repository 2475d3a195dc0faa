import { accessSync, constants, copyFileSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoDataset, DEMO_INSTANCE_IDS } from '../src/emulator/demo-data.js';
import { type Harness, startHarness } from './support/gateway-harness.js';
import { type HttpServed, serveOverHttp } from './support/serve-http.js';

/** Debian's Chromium, which `npm test` installs first (scripts/ensure-chromium.mjs). */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOT = 'test/artifacts/graphiql.png';
const DOCS_SCREENSHOT = 'docs/graphiql.png';

let harness: Harness;
let served: HttpServed;
let browser: Browser;

beforeAll(async () => {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    // Never a skip: a missing browser is a broken test machine, and it must show.
    throw new Error(
      `Chromium is not at ${CHROMIUM_PATH}: run \`node scripts/ensure-chromium.mjs\` (as root it ` +
        "installs Debian's chromium with apt-get) or set CHROMIUM_PATH",
    );
  }
  harness = await startHarness({
    dataset: createDemoDataset(),
    gateway: { exampleInstanceId: DEMO_INSTANCE_IDS.standard },
  });
  served = await serveOverHttp(harness.gateway);
  // playwright gives every launch a fresh temporary profile (its own --user-data-dir).
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await harness?.close();
});

/** What an editor shows, as plain text: Monaco lays out spaces as no-break spaces. */
async function shownText(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replaceAll('\u00a0', ' ');
}

describe('GraphiQL in demo mode', () => {
  it('loads offline, runs the default query and shows the demo backups', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(served.origin) && !/^(blob|data):/.test(request.url())) {
        external.push(request.url());
      }
    });

    const navigation = await page.goto(served.graphqlUrl);
    // Chromium accepts gzip: the 9 MB page comes compressed.
    expect(await navigation?.headerValue('content-encoding')).toBe('gzip');
    const run = page.getByRole('button', { name: /Execute query/ });
    await run.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => shownText(page.locator('.graphiql-query-editor')))
      .toContain(DEMO_INSTANCE_IDS.standard);
    const answered = page.waitForResponse(
      (response) => response.url() === served.graphqlUrl && response.request().method() === 'POST',
    );
    await run.click();
    const response = await answered;
    const result = page.locator('.graphiql-response');
    await expect.poll(() => shownText(result), { timeout: 30_000 }).toContain('2300000034');

    const body = (await response.json()) as {
      data: { instance: { backups: { totalCount: number; edges: unknown[] } } };
    };
    expect(body.data.instance.backups.totalCount).toBe(42);
    expect(body.data.instance.backups.edges).toHaveLength(5);
    const shown = await shownText(result);
    expect(shown).toContain('"totalCount": 42');
    expect(shown).toContain('"2300000033"');
    expect(shown).not.toContain('"errors"');
    // Everything came from the gateway: GraphiQL's assets are inlined, nothing from a CDN.
    expect(external).toEqual([]);

    mkdirSync('test/artifacts', { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    // The README's screenshot is this one; refreshed on demand, so a test run leaves git clean.
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      copyFileSync(SCREENSHOT, DOCS_SCREENSHOT);
    }
    await page.close();
  });
});
