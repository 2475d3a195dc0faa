import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INSTANCE_IDS } from '../src/emulator/demo-data.js';

const TSC = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));

/** Runs the real entry point to its exit; returns its exit code and what it wrote to stderr. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

let busy: Server;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

describe('starting the gateway', () => {
  it('stops with a message naming PORT when the port is taken', async () => {
    const port = (busy.address() as AddressInfo).port;
    const { code, stderr } = await runMain({ PORT: String(port) });

    expect(code).toBe(1);
    expect(stderr).toBe(
      `invalid configuration:\n  - PORT ${port} is already in use on 127.0.0.1; set PORT to a free port (or 0 for any)\n`,
    );
  });

  it('stops with a message naming HOST when the host is not an address of this machine', async () => {
    const { code, stderr } = await runMain({ PORT: '0', HOST: 'not_a_host.invalid' });

    expect(code).toBe(1);
    expect(stderr).toContain('HOST "not_a_host.invalid" is not an address of this machine');
  });

  it('stops with a message naming EMULATOR_DATA and the file when the dataset cannot be read', async () => {
    const { code, stderr } = await runMain({ PORT: '0', EMULATOR_DATA: '/nonexistent/data.json' });

    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^invalid configuration:\n {2}- EMULATOR_DATA: \/nonexistent\/data\.json: /,
    );
    expect(stderr).not.toContain('    at ');
  });

  it('warns of variables the mode does not read, and says why it runs demo mode', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        LOG_PRETTY: 'false',
        TAIR_MODE: 'demo',
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIstartTestKeyId',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'start-test-secret',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const lines = await new Promise<Array<{ level: number; msg: string; ignored?: string[] }>>(
        (resolve, reject) => {
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            if (out.includes('"graphiql"')) {
              resolve(
                out
                  .trim()
                  .split('\n')
                  .map((line) => JSON.parse(line)),
              );
            }
          });
          child.on('exit', (code) => reject(new Error(`src/main.ts exited with ${code}`)));
        },
      );

      expect(lines[0]).toMatchObject({
        level: 40,
        ignored: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
        msg: 'ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET set but not read in demo mode (TAIR_MODE, README "Configuration")',
      });
      expect(lines.at(-1)?.msg).toMatch(
        /^demo mode \(TAIR_MODE=demo\), serving the built-in emulator's demo data; open GraphiQL at http:\/\/127\.0\.0\.1:\d+\/graphql$/,
      );
      expect(JSON.stringify(lines)).not.toContain('start-test-secret');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('stops with every bad variable named before it starts anything', async () => {
    const { code, stderr } = await runMain({ PORT: 'eighty', LOG_LEVEL: 'loud' });

    expect(code).toBe(1);
    expect(stderr).toContain('PORT must be an integer from 0 to 65535; got "eighty"');
    expect(stderr).toContain('LOG_LEVEL must be one of');
  });
});

describe('npm start', () => {
  it('builds src into dist and serves the demo data from the compiled gateway', async () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: { start: string };
    };
    // Run as npm start runs it: its node flags must be ones this Node accepts.
    const [command, ...args] = scripts.start.split(' ');
    expect(command).toBe('node');
    expect(args).toEqual(['--heap-growing-percent=50', 'dist/main.js']);

    const build = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.build.json'], {
      encoding: 'utf8',
    });
    expect(build.stdout + build.stderr).toBe('');
    expect(build.status).toBe(0);

    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_PRETTY: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      // The first log line names the GraphiQL address, port included.
      const started = await new Promise<{ graphiql: string }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n').find((text) => text.includes('"graphiql"'));
          if (line) {
            resolve(JSON.parse(line) as { graphiql: string });
          }
        });
        child.on('exit', (code) => reject(new Error(`dist/main.js exited with ${code}`)));
      });
      const response = await fetch(started.graphiql, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `{ instance(id: "${DEMO_INSTANCE_IDS.standard}") { backups(first: 2) {
            totalCount edges { node { backupId } } } } }`,
        }),
      });

      expect(await response.json()).toEqual({
        data: {
          instance: {
            backups: {
              totalCount: 42,
              edges: [{ node: { backupId: '2300000034' } }, { node: { backupId: '2300000033' } }],
            },
          },
        },
      });
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
