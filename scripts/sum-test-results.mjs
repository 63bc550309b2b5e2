// Sums every project's vitest JSON report into one plain closing line: "N passed, N failed, N skipped".
// A project whose report is missing (its run crashed before writing one) counts as one failure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const projects = workspaces.flatMap((pattern) => pattern.endsWith('/*')
  ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${pattern.slice(0, -2)}/${e.name}`)
  : [pattern]).filter((project) => existsSync(join(root, project, 'package.json')));

let passed = 0, failed = 0, skipped = 0;
for (const project of projects) {
  const report = join(root, project, 'test-results', 'vitest.json');
  if (!existsSync(report)) {
    console.log(`${project}: no test report`);
    failed += 1;
    continue;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests ?? 0;
  failed += (json.numFailedTests ?? 0) + (json.success === false && (json.numFailedTests ?? 0) === 0 ? 1 : 0);
  skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
