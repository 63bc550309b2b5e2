/**
 * What every `wildrydes-*` bin runs: registers tsx with the repository's root tsconfig (the domain's decorators
 * need it, whatever the caller's working directory) and imports the tool's TypeScript entry. Plain JavaScript,
 * because nothing TypeScript can load before tsx is registered.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

/** The workspace root: the nearest folder above this file whose package.json declares workspaces. */
function repositoryRoot() {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tsconfig.json')) && existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error('wildrydes: cannot find the repository root above the CLI');
  }
}

/** @param {URL} entry the tool's `src/cli.ts` */
export async function runTypeScriptCli(entry) {
  // Read by runMain before any SDK client exists: the SDK's Node-20 notice would otherwise precede the output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  register({ tsconfig: join(repositoryRoot(), 'tsconfig.json') });
  await import(entry.href);
}
