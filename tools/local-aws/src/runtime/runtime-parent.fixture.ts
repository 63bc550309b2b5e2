/**
 * A stand-in parent for the "no orphans" test: it starts a runtime, prints the host pid and then waits to be
 * killed with SIGKILL, so it never gets to call stop(). The host must notice and exit by itself.
 */
import { startLocalRuntime } from './start-local-runtime';

const runtime = await startLocalRuntime({ ports: { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0 } });
process.stdout.write(`${JSON.stringify({ hostPid: runtime.hostPid, s3DataDir: runtime.endpoints.s3DataDir })}\n`);
setInterval(() => undefined, 60_000);
