import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../src/logger.js';

/** An AccessKey pair unique to this run, shaped like a real one, never the demo pair. */
export function uniqueKeyPair(): { accessKeyId: string; accessKeySecret: string } {
  const alphanumeric = (bytes: number) =>
    randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'x');

  return { accessKeyId: `LTAI5t${alphanumeric(18)}`, accessKeySecret: alphanumeric(30) };
}

/** A trace-level pino logger whose every line is kept, for a later scan. */
export function captureLog(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  // No redaction configured: what the gateway hands its logger is scanned as it was handed.
  return { logger: pino({ level: 'trace' }, stream), lines };
}

/** A secret and the forms it could take on the way out: raw, percent-encoded, form-encoded. */
export interface Needle {
  label: string;
  value: string;
}

export function needlesFor(label: string, value: string): Needle[] {
  const forms = new Set([
    value,
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    JSON.stringify(value).slice(1, -1),
  ]);

  return [...forms].map((form) => ({ label, value: form }));
}

/** Every place a needle occurs in the texts, as "label in source" lines; empty when clean. */
export function findSecrets(
  sources: ReadonlyArray<{ source: string; text: string }>,
  needles: readonly Needle[],
): string[] {
  const hits: string[] = [];
  for (const { source, text } of sources) {
    for (const needle of needles) {
      const at = text.indexOf(needle.value);
      if (at >= 0) {
        hits.push(`${needle.label} in ${source}: …${text.slice(Math.max(0, at - 40), at + 60)}…`);
      }
    }
  }

  return hits;
}
