#!/usr/bin/env node
// Makes sure the browser test has Debian's Chromium: CHROMIUM_PATH when set, else
// /usr/bin/chromium, installed with apt-get when missing and this runs as root (as CI does).
// Nothing is ever downloaded by a test tool: playwright-core only drives the system browser.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const DEFAULT_PATH = '/usr/bin/chromium';
const path = process.env.CHROMIUM_PATH || DEFAULT_PATH;

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);

    return true;
  } catch {
    return false;
  }
}

function run(command, args) {
  console.log(`ensure-chromium: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    console.error(`ensure-chromium: ${command} ${args.join(' ')} failed (exit ${result.status})`);
    process.exit(1);
  }
}

if (isExecutable(path)) {
  process.exit(0);
}
if (process.env.CHROMIUM_PATH) {
  console.error(
    `ensure-chromium: CHROMIUM_PATH is ${JSON.stringify(path)}, which is not an executable file. ` +
      "Point it at a Chromium binary, or unset it to use Debian's /usr/bin/chromium.",
  );
  process.exit(1);
}
if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
  console.error(
    `ensure-chromium: ${DEFAULT_PATH} is missing and this is not root, so it cannot be installed. ` +
      'Run `sudo apt-get install -y chromium`, or set CHROMIUM_PATH to a Chromium binary. ' +
      'The browser test (test/browser-graphiql.test.ts) needs it and fails without it.',
  );
  process.exit(1);
}

run('apt-get', ['update']);
// With its recommended packages: they bring the fonts the GraphiQL screenshot is drawn with.
run('apt-get', ['install', '-y', 'chromium']);
if (!isExecutable(DEFAULT_PATH)) {
  console.error(`ensure-chromium: apt-get finished but ${DEFAULT_PATH} is still missing`);
  process.exit(1);
}
console.log(`ensure-chromium: installed ${DEFAULT_PATH}`);
