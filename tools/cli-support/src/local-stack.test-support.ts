import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients, type AwsClients } from '@wildrydes/adapters/clients';
import { KinesisStreamReader, type StreamRecord } from '@wildrydes/adapters/kinesis';
import { localEnvFilePath, provisionResources, startLocalRuntime, type LocalRuntime } from '@wildrydes/local-aws';

export interface TestStack {
  readonly runtime: LocalRuntime;
  readonly clients: AwsClients;
  /** A local.json naming this stack, for `--endpoints-file`. */
  readonly endpointsFile: string;
  stop(): Promise<void>;
}

/**
 * A local runtime on free ports with every resource provisioned, and its endpoints in a temp local.json. With a
 * dataDir and a Kinesis port it can be stopped and started again as the same stack (outage tests).
 */
export async function startTestStack(options: { dataDir?: string; kinesisPort?: number } = {}): Promise<TestStack> {
  const dir = await mkdtemp(join(tmpdir(), 'wildrydes-cli-test-'));
  const endpointsFile = join(dir, 'local.json');
  const runtime = await startLocalRuntime({
    ports: { kinesis: options.kinesisPort ?? 0, dynamodb: 0, s3: 0, eventbridge: 0 }, writeEndpointsFile: true, endpointsFilePath: endpointsFile,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  const clients = createAwsClients(runtime.endpoints);
  try {
    await provisionResources(clients);
  } catch (error) {
    clients.destroy();
    await runtime.stop();
    throw error;
  }
  return {
    runtime,
    clients,
    endpointsFile,
    stop: async () => {
      clients.destroy();
      await runtime.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Reads a stream from its start until `done` says so, or the deadline passes. */
export async function readStream(clients: AwsClients, stream: string, done: (records: readonly StreamRecord[]) => boolean, timeoutMs = 20_000): Promise<StreamRecord[]> {
  const records: StreamRecord[] = [];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    for await (const record of new KinesisStreamReader(clients.kinesis, stream).read({ from: 'TRIM_HORIZON', signal: controller.signal, pollIntervalMs: 100 })) {
      records.push(record);
      if (done(records)) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return records;
}

/** The variables `set -a; . local.env; set +a` would set for the stack whose local.json is `endpointsFile`. */
export async function localEnvVariables(endpointsFile: string): Promise<Record<string, string>> {
  const text = await readFile(localEnvFilePath(endpointsFile), 'utf8');
  return Object.fromEntries(text.split('\n').filter((line) => /^[A-Z0-9_]+=/.test(line)).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}
