#!/usr/bin/env node
import { runTypeScriptCli } from '@wildrydes/cli-support/bin';

await runTypeScriptCli(new URL('../src/cli.ts', import.meta.url));
