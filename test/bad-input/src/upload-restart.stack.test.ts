import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '@wildrydes/adapters/query';
import { RESOURCE_NAMES, type ImportReport } from '@wildrydes/domain';
import { startLocalStack, type LocalStack } from '@wildrydes/local';
import { neighbour } from './corpus';
import { until } from '@wildrydes/test-kit';

const ANY_PORT = { kinesis: 0, dynamodb: 0, s3: 0, eventbridge: 0, httpIngestion: 0 };
const BUCKET = RESOURCE_NAMES.dataBucket;

describe('uploads across a restart on the same --data-dir (issue 12, defect 3)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => { for (const cleanup of cleanups.reverse()) await cleanup(); });

  const start = async (dataDir: string): Promise<{ stack: LocalStack; archived: (name: string) => Promise<number>; report: (key: string) => Promise<ImportReport | undefined>; stop(): Promise<void> }> => {
    const stack = await startLocalStack({ ports: ANY_PORT, dataDir, pollIntervalMs: 100, batchingWindowSeconds: 0, tumblingWindowSeconds: 2, log: () => undefined });
    const engine = new DuckDbQueryEngine({ bucketDir: join(stack.runtime.endpoints.s3DataDir, BUCKET) });
    let stopped = false;
    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      await engine.close();
      await stack.stop();
    };
    cleanups.push(stop);
    return {
      stack, stop,
      archived: async (name) => Number((await engine.query(`SELECT count(*) FROM wildrydes WHERE name = '${name}'`)).rows[0]?.[0] ?? 0),
      report: async (key) => {
        try {
          const output = await stack.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `reports/${key.slice('uploads/'.length)}.json` }));
          return JSON.parse(await output.Body!.transformToString('utf8')) as ImportReport;
        } catch {
          return undefined;
        }
      },
    };
  };
  const upload = (stack: LocalStack, key: string, name: string, lines: number) =>
    stack.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Array.from({ length: lines }, (_, i) => neighbour(name, i)).join('\n') + '\n' }));

  it('imports each upload once: a restart imports nothing again, and uploads after it import at once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wildrydes-upload-restart-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

    const first = await start(dataDir);
    await upload(first.stack, 'uploads/before.ndjson', 'BeforeRestart', 50);
    await until('the first import', () => first.report('uploads/before.ndjson'), (r) => r?.status === 'imported');
    expect(await until('50 rows archived', () => first.archived('BeforeRestart'), (n) => n >= 50)).toBe(50);
    await first.stack.drain();
    await first.stop();

    const second = await start(dataDir);
    await upload(second.stack, 'uploads/after.ndjson', 'AfterRestart', 20);
    await until('the upload after the restart', () => second.report('uploads/after.ndjson'), (r) => r?.status === 'imported');
    expect(await until('its rows archived', () => second.archived('AfterRestart'), (n) => n >= 20)).toBe(20);
    await second.stack.drain();
    // The restart found the first upload in the bucket and did not import it again (it was 50 rows, then 100).
    expect(await second.archived('BeforeRestart')).toBe(50);
  }, 120_000);
});
