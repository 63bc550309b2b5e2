// Sums every project's vitest JSON report into one plain closing line: "N passed, N failed".
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const projects = ['domain', 'adapters', 'infra', 'test',
  ...['services', 'tools'].flatMap((d) => (existsSync(join(root, d)) ? readdirSync(join(root, d)).map((p) => `${d}/${p}`) : []))];

let passed = 0, failed = 0, skipped = 0;
for (const project of projects) {
  const report = join(root, project, 'test-results', 'vitest.json');
  if (!existsSync(report)) continue;
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests ?? 0;
  failed += (json.numFailedTests ?? 0) + (json.success === false && (json.numFailedTests ?? 0) === 0 ? 1 : 0);
  skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
