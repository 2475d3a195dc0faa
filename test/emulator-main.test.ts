import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

/** Runs `npm run emulator`'s entry with the given environment until `until` matches or it exits. */
function run(
  env: Record<string, string>,
  until?: RegExp,
): Promise<{ output: string; code: number | null; child: ChildProcess }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, ['src/emulator/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (until?.test(output)) {
        resolve({ output, code: null, child });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => resolve({ output, code, child }));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('emulator main', () => {
  it('logs one start line with its URL, the demo key pair and the demo instances, and stops on SIGTERM', async () => {
    const { output, child } = await run({ EMULATOR_PORT: '0' }, /listening on/);
    const line = JSON.parse(output.split('\n').find((text) => text.includes('listening on'))!);
    const done = exited(child);
    child.kill('SIGTERM');

    expect(line.msg).toMatch(
      /^R-kvstore emulator listening on http:\/\/127\.0\.0\.1:\d+ \(key id LTAIdemoEmulatorKey, secret demo-emulator-secret-not-a-real-one\)$/,
    );
    expect(line.instances).toContain('r-demo0standard01');
    expect(await done).toBe(0);
  });

  it('never prints a configured secret', async () => {
    const { output, child } = await run(
      { EMULATOR_PORT: '0', EMULATOR_ACCESS_KEY_SECRET: 'hunter2-top-secret' },
      /listening on/,
    );
    const done = exited(child);
    child.kill('SIGINT');

    expect(output).toContain('(custom secret configured)');
    expect(output).not.toContain('hunter2-top-secret');
    expect(await done).toBe(0);
  });

  it.each([
    [
      { EMULATOR_PORT: '70000' },
      'EMULATOR_PORT must be an integer from 0 to 65535, received \\"70000\\"',
    ],
    [{ EMULATOR_PORT: 'abc' }, 'EMULATOR_PORT must be an integer from 0 to 65535'],
    [
      { EMULATOR_PORT: '0', EMULATOR_DATA: '/nonexistent/emulator.json' },
      '/nonexistent/emulator.json: cannot read the dataset file',
    ],
  ])('exits non-zero with a clear message for %j', async (env, message) => {
    const { output, code } = await run(env);

    expect(code).toBe(1);
    expect(output).toContain(message);
  });
});
