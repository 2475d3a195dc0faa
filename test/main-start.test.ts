import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

  it('stops with every bad variable named before it starts anything', async () => {
    const { code, stderr } = await runMain({ PORT: 'eighty', LOG_LEVEL: 'loud' });

    expect(code).toBe(1);
    expect(stderr).toContain('PORT must be an integer from 0 to 65535; got "eighty"');
    expect(stderr).toContain('LOG_LEVEL must be one of');
  });
});
