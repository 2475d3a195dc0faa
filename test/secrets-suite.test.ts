import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET } from '../src/emulator/demo-data.js';
import { type Harness, instanceWith, startHarness } from './support/gateway-harness.js';
import { findSecrets, needlesFor } from './support/secret-scan.js';
import {
  capturedSignatures,
  SUITE_KEYS,
  suiteCaptureSize,
  suiteLeaks,
} from './support/suite-secrets.js';

// The cross-suite scan (test/support/suite-secrets-setup.ts) runs after every test file; these
// tests show it has something to scan and would see a leak.

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ dataset: { instances: { 'r-scan': instanceWith(3) } } });
});
afterAll(() => harness.close());

describe('the cross-suite secret scan', () => {
  it('runs every harness on a key pair unique to the run, not the demo pair', () => {
    expect(harness.emulator.accessKeyId).toBe(SUITE_KEYS.accessKeyId);
    expect(SUITE_KEYS.accessKeyId).not.toBe(DEMO_ACCESS_KEY_ID);
    expect(SUITE_KEYS.accessKeySecret).not.toBe(DEMO_ACCESS_KEY_SECRET);
    expect(SUITE_KEYS.accessKeyId).toMatch(/^LTAI5t[A-Za-z0-9]{24}$/);
  });

  it('captures the signature of every upstream call, the response and trace log lines', async () => {
    const before = capturedSignatures().size;
    const response = await harness.query('{ instance(id: "r-scan") { backups { totalCount } } }');

    expect(response.body.data).toEqual({ instance: { backups: { totalCount: 3 } } });
    // pop-core signs once per call; the emulator recomputes the same value to check it.
    expect(capturedSignatures().size).toBe(before + 1);
    expect(suiteCaptureSize().responses).toBeGreaterThan(0);
    expect(suiteCaptureSize().logLines).toBeGreaterThan(0);
    expect(suiteLeaks()).toEqual([]);
  });

  it('would report a captured signature found in a response', () => {
    const [signature] = [...capturedSignatures()];
    const leaked = `{"message":"bad request Signature=${encodeURIComponent(signature!)}"}`;

    expect(
      findSecrets([{ source: 'response', text: leaked }], needlesFor('sig', signature!)),
    ).toHaveLength(1);
  });
});
