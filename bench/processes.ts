import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { postJson } from './http.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STDERR_KEPT = 4000;
/** BENCH_PROFILE_DIR: every child writes a V8 CPU profile there when it stops. */
const PROFILE_ARGS = process.env.BENCH_PROFILE_DIR
  ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR]
  : [];

/** A process the bench started: its address, and its peak resident memory. */
export interface Child {
  pid: number;
  url: string;
  /** VmHWM from /proc: the most resident memory the process has had, in MiB; null off Linux. */
  peakRssMiB(): number | null;
  /** VmRSS from /proc: resident memory now, in MiB; null off Linux. */
  rssMiB(): number | null;
  /** Asks for a count of upstream calls (emulator only). */
  ask<T>(message: { type: string }): Promise<T>;
  stop(): Promise<void>;
}

function memoryOf(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);

    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function keepStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-STDERR_KEPT);
  });

  return () => text;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();

        return;
      }
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

function wrap(child: ChildProcess, url: string): Child {
  return {
    pid: child.pid!,
    url,
    peakRssMiB: () => memoryOf(child.pid!, 'VmHWM'),
    rssMiB: () => memoryOf(child.pid!, 'VmRSS'),
    ask: <T>(message: { type: string }) =>
      new Promise<T>((resolve) => {
        child.once('message', (answer) => resolve(answer as T));
        child.send(message);
      }),
    stop: stopper(child),
  };
}

/** Forks a bench child (TypeScript, through tsx) and waits for its `ready` message. */
export async function forkChild(script: string, env: Record<string, string>): Promise<Child> {
  const child = fork(`${ROOT}bench/children/${script}`, [], {
    cwd: ROOT,
    execArgv: [...PROFILE_ARGS, '--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const stderr = keepStderr(child);
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { type: string; url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}): ${stderr()}`)));
  });

  return wrap(child, url);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));

  return typeof address === 'object' && address ? address.port : 0;
}

/** Compiles src into dist, as `npm start` does before it runs the gateway. */
export function buildGateway(): void {
  const tsc = `${ROOT}node_modules/typescript/bin/tsc`;
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    throw new Error(`npm run build failed: ${build.stdout}${build.stderr}`);
  }
}

/** The arguments `npm start` gives node (its V8 flags, then `dist/main.js`), from package.json. */
export function startArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
    scripts: { start: string };
  };
  const [command, ...args] = scripts.start.split(' ');
  if (command !== 'node' || args.at(-1) !== 'dist/main.js') {
    throw new Error(`npm start is no longer "node [flags] dist/main.js": ${scripts.start}`);
  }

  return args;
}

/**
 * Starts the gateway as `npm start` runs it, with its node flags and `dist/main.js` (see
 * buildGateway), in cloud mode, pointed at the emulator, in a process of its own; its logs go to
 * /dev/null. `nodeArgs` adds e.g. `--cpu-prof`.
 */
export async function startGateway(
  upstreamUrl: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, [...PROFILE_ARGS, ...nodeArgs, ...startArgs()], {
    cwd: ROOT,
    env: {
      ...process.env,
      TAIR_MODE: 'cloud',
      TAIR_ENDPOINT: upstreamUrl,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIdemoEmulatorKey',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'demo-emulator-secret-not-a-real-one',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_PRETTY: 'false',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr = keepStderr(child);
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) {
      throw new Error(`the gateway exited (${child.exitCode}): ${stderr()}`);
    }
    try {
      if ((await postJson(url, { query: '{ __typename }' })).status === 200) {
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (tries > 300) {
      throw new Error(`the gateway did not answer within 30 s: ${stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return wrap(child, url);
}
