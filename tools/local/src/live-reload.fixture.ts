/**
 * Run by `live-reload.test.ts` as its own process (tsx's fresh imports need Node's own loader, not vitest's):
 * the whole local stack on free ports with `--watch`, the ingestion service loaded from the module given in argv
 * and reloaded when its folder changes. Prints `{"ingestionUrl":…}`, then one JSON line per reload attempt.
 */
import { dirname } from 'node:path';
import { startLocalStack } from './local-stack';

const modulePath = process.argv[2] as string;
const stack = await startLocalStack({
  ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0, httpIngestion: 0 }, log: () => undefined,
  watch: {
    serviceModules: { ingestion: modulePath },
    watchDirs: { ingestion: [dirname(modulePath)], health: [], aggregation: [], archival: [] },
    debounceMs: 50,
    onReload: (outcome) => {
      process.stdout.write(`${JSON.stringify('error' in outcome ? { ...outcome, error: outcome.error.message } : outcome)}\n`);
    },
  },
});
process.stdout.write(`${JSON.stringify({ ingestionUrl: stack.ingestionUrl, hostPid: stack.runtime.hostPid })}\n`);
process.once('SIGTERM', () => {
  void stack.stop().then(() => process.exit(0));
});
