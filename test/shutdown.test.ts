import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { instanceWith } from './support/gateway-harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const SLOW_INSTANCE = 'r-slow000000001';
const LATENCY_MS = 1500;

interface Started {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  graphiql: URL;
  exited: Promise<number | null>;
}

let workDir: string | undefined;
let running: ChildProcess | undefined;

afterEach(async () => {
  running?.kill('SIGKILL');
  if (workDir) {
    await rm(workDir, { recursive: true, force: true });
  }
});

/** `npm start`'s entry in demo mode over a dataset whose one instance answers after 1.5 s. */
async function startGateway(): Promise<Started> {
  workDir = await mkdtemp(join(tmpdir(), 'tair-shutdown-'));
  const datasetPath = join(workDir, 'slow.json');
  const dataset = {
    instances: { [SLOW_INSTANCE]: instanceWith(3, { Fault: { LatencyMs: LATENCY_MS } }) },
  };
  await writeFile(datasetPath, JSON.stringify(dataset));
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    TAIR_MODE: 'demo',
    EMULATOR_DATA: datasetPath,
    SHUTDOWN_GRACE_MS: '10000',
  };
  for (const name of Object.keys(env)) {
    if (name.startsWith('ALIBABA_CLOUD_')) {
      delete env[name];
    }
  }
  const child = spawn(TSX, ['src/main.ts'], { cwd: ROOT, env });
  running = child;
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });

  const graphiql = await new Promise<URL>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const text of complete) {
        // Not a terminal: every line is one JSON object.
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        if (typeof line.graphiql === 'string') {
          resolve(new URL(line.graphiql));
        }
      }
    });
    void exited.then((code) => reject(new Error(`main exited with ${code} at start: ${stderr}`)));
  });

  return { child, lines, graphiql, exited };
}

function connectionRefused(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('main graceful shutdown', () => {
  it('finishes a request in flight at SIGTERM, even after a second one, refuses new connections and exits 0', async () => {
    const gateway = await startGateway();
    const port = Number(gateway.graphiql.port);
    const ready = await fetch(new URL('/readyz', gateway.graphiql));
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);

    const started = performance.now();
    const slow = fetch(gateway.graphiql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'slow-request-1' },
      body: JSON.stringify({
        query: `query Slow { instance(id: "${SLOW_INSTANCE}") { backups(first: 3) { totalCount } } }`,
      }),
    });
    await sleep(400);
    gateway.child.kill('SIGTERM');
    await sleep(100);
    // An impatient second signal does not cut the drain short.
    gateway.child.kill('SIGTERM');
    await sleep(100);
    const refused = await connectionRefused(port);
    const response = await slow;
    const elapsed = performance.now() - started;
    const body = await response.json();
    const code = await gateway.exited;

    expect(refused).toBe('ECONNREFUSED');
    expect(response.status).toBe(200);
    // The keep-alive connection it came on is closed after it, so the server can close too.
    expect(response.headers.get('connection')).toBe('close');
    expect(body).toEqual({ data: { instance: { backups: { totalCount: 3 } } } });
    expect(elapsed).toBeGreaterThanOrEqual(LATENCY_MS - 50);
    expect(code).toBe(0);
    const messages = gateway.lines.map((line) => line.msg);
    expect(messages).toContain('shutting down: no new connections; finishing requests in flight');
    const requestLine = gateway.lines.find((line) => line.requestId === 'slow-request-1');
    expect(requestLine).toMatchObject({
      operationName: 'Slow',
      outcome: 'ok',
      upstreamCalls: 1,
      httpStatus: 200,
    });
    expect(requestLine!.durationMs as number).toBeGreaterThanOrEqual(LATENCY_MS - 50);
  });
});
