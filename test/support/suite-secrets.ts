import crypto from 'node:crypto';
import { captureLog, findSecrets, needlesFor, uniqueKeyPair } from './secret-scan.js';

/**
 * The credentials every gateway harness of this test file signs with: a pair unique to the run,
 * never the demo pair, so finding one of them anywhere means the gateway let it out.
 */
export const SUITE_KEYS = uniqueKeyPair();

const secrets = new Set<string>([SUITE_KEYS.accessKeySecret]);
const signatures = new Set<string>();
const responses: Array<{ source: string; text: string }> = [];
const log = captureLog();

/** The trace-level logger harnesses give the gateway and its client; every line is scanned. */
export const suiteLogger = log.logger;

/** Registers a secret a harness signs with (a deliberately wrong one included) and returns it. */
export function signingSecret(secret: string): string {
  secrets.add(secret);

  return secret;
}

/** Keeps a response body the gateway produced, for the scan. */
export function recordResponse(source: string, text: string): void {
  responses.push({ source, text });
}

/** Signatures computed with a gateway secret so far. */
export function capturedSignatures(): ReadonlySet<string> {
  return signatures;
}

function signsWithGatewaySecret(key: unknown): boolean {
  const text = typeof key === 'string' ? key : Buffer.isBuffer(key) ? key.toString('utf8') : null;

  // Signature 1.0 keys the HMAC with `<secret>&`; ACS3-HMAC-SHA256 with the secret itself.
  return (
    text !== null && (secrets.has(text) || (text.endsWith('&') && secrets.has(text.slice(0, -1))))
  );
}

/**
 * Records the output of every HMAC keyed with a gateway secret: that is every request signature
 * pop-core computes (through kitx, which calls `crypto.createHmac` at call time). The emulator's
 * own check computes the same value for a good request; recording it too only adds needles.
 */
export function installSignatureCapture(): void {
  const original = crypto.createHmac;
  const capture = (
    algorithm: string,
    key: crypto.BinaryLike | crypto.KeyObject,
    options?: object,
  ) => {
    const hmac = original(algorithm, key, options as undefined);
    if (signsWithGatewaySecret(key)) {
      const digest = hmac.digest.bind(hmac) as (
        encoding?: crypto.BinaryToTextEncoding,
      ) => string | Buffer;
      Object.assign(hmac, {
        digest: (encoding?: crypto.BinaryToTextEncoding) => {
          const out = digest(encoding);
          const bytes = typeof out === 'string' ? null : out;
          for (const form of bytes
            ? [bytes.toString('base64'), bytes.toString('hex')]
            : [out as string]) {
            signatures.add(form);
          }

          return out;
        },
      });
    }

    return hmac;
  };
  (crypto as { createHmac: unknown }).createHmac = capture;
}

/** Every occurrence of the key id, a secret or a signature in a response or log line so far. */
export function suiteLeaks(): string[] {
  const needles = [
    ...needlesFor('AccessKeyId', SUITE_KEYS.accessKeyId),
    ...[...secrets].flatMap((secret) => needlesFor('AccessKeySecret', secret)),
    ...[...signatures].flatMap((signature) => needlesFor('a request signature', signature)),
  ];
  const logs = log.lines.map((text, index) => ({ source: `log line ${index}`, text }));

  return findSecrets([...responses, ...logs], needles);
}

/** How much the scan has to look at, so a test can show it is not empty. */
export function suiteCaptureSize(): { responses: number; logLines: number } {
  return { responses: responses.length, logLines: log.lines.length };
}
