// Turns `npm test` into the closing line CI reads: typecheck and lint count as one check each,
// then every vitest test. Skipped tests are reported, never counted as passes.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const [resultsPath, statusText] = process.argv.slice(2);
const status = Number(statusText);
let passed = 0;
let failed = 0;
let skipped = 0;

if (existsSync(resultsPath)) {
  // vitest only runs after typecheck and lint have passed.
  passed += 2;
  const results = JSON.parse(readFileSync(resultsPath, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + results.numTodoTests;
  // A file that failed to load counts as a failure even though none of its tests ran.
  failed += results.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  ).length;
} else {
  for (const step of ['typecheck', 'lint']) {
    try {
      execSync(`npm run --silent ${step}`, { stdio: 'ignore' });
      passed += 1;
    } catch {
      failed += 1;
    }
  }
  if (failed === 0) {
    failed = 1; // vitest itself did not run or wrote nothing
  }
}

if (status !== 0 && failed === 0) {
  failed = 1;
}
const line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
process.stdout.write(`${line}\n`);
process.exit(failed > 0 ? 1 : 0);
