import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// An App without an outdir synthesises into a fresh `cdk.out*` folder under the system temp folder and never removes
// it: hundreds per run. Each test file gets its own temp folder instead, removed after the file.
const folder = mkdtempSync(join(tmpdir(), 'wildrydes-infra-test-'));
const systemTemp = process.env['TMPDIR'];
process.env['TMPDIR'] = folder;

afterAll(() => {
  if (systemTemp === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = systemTemp;
  rmSync(folder, { recursive: true, force: true });
});
