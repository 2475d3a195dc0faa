import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that went through the recorder, as the upstream received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** `Signature` of a v2 call (query or form body), or the v3 `Authorization` signature. */
  signature: string | null;
  /** What the upstream answered, as text; empty until the answer has ended (or on a reset). */
  responseBody: string;
}

/** A loopback HTTP forwarder between the client and the emulator that sees every raw byte sent. */
export interface UpstreamRecorder {
  url: string;
  /** Where requests are forwarded; set once the emulator is up. */
  target: string;
  readonly requests: readonly RecordedRequest[];
  /** Requests forwarded and not yet answered (or failed). */
  inFlight(): number;
  /** The most requests ever in flight at once, since the last reset. */
  maxInFlight(): number;
  reset(): void;
  close(): Promise<void>;
}

function signatureOf(url: string, body: string, authorization: string | undefined): string | null {
  const fromQuery = new URL(url, 'http://recorder.test').searchParams.get('Signature');
  const fromBody = new URLSearchParams(body).get('Signature');
  const fromHeader = /Signature=([^,\s]+)/.exec(authorization ?? '')?.[1] ?? null;

  return fromQuery ?? fromBody ?? fromHeader;
}

/**
 * Starts the recorder on 127.0.0.1, port 0. It counts in-flight requests at the network boundary,
 * which is what a throttling upstream sees, and keeps each request's signature for secret scans.
 * A reset from the upstream is passed on as a reset.
 */
export async function startUpstreamRecorder(target = ''): Promise<UpstreamRecorder> {
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const recorder = {
    url: '',
    target,
    requests,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    reset: () => {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  const server = createServer((incoming, outgoing) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight -= 1;
      }
    };
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = incoming.url ?? '/';
      const record: RecordedRequest = {
        method: incoming.method ?? 'GET',
        url,
        headers: incoming.headers,
        body,
        signature: signatureOf(url, body, incoming.headers.authorization),
        responseBody: '',
      };
      requests.push(record);
      const upstream = request(
        new URL(url, recorder.target),
        { method: incoming.method, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.on('data', (chunk: Buffer) => {
            record.responseBody += chunk.toString('utf8');
          });
          answer.pipe(outgoing);
          answer.on('end', finish);
          answer.on('error', () => {
            finish();
            outgoing.destroy();
          });
        },
      );
      upstream.on('error', () => {
        finish();
        outgoing.destroy();
      });
      upstream.end(body);
    });
    outgoing.on('close', finish);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  recorder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return recorder;
}
