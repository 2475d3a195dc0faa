import { afterAll, expect } from 'vitest';
import { installSignatureCapture, suiteLeaks } from './suite-secrets.js';

// Every test file: gateway harnesses sign with a key pair unique to the run and log at trace into
// a capture; after the file, no response body or log line may hold the key, a secret or a
// signature the client computed.
installSignatureCapture();

afterAll(() => {
  expect(suiteLeaks(), 'the gateway let its credentials out').toEqual([]);
});
