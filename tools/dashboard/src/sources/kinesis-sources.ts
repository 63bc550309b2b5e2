import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { KinesisStreamReader, type KinesisStreamReaderOptions } from '@wildrydes/adapters/kinesis';
import { decodeRecord, RESOURCE_NAMES, type Reading } from '@wildrydes/domain';
import type { LiveSource, StopLiveSource } from '../live-sources.port';

/** Runs `consume` over a stream read from LATEST (only what arrives from now on) until stopped. */
function follow(
  kinesis: KinesisClient, streamName: string, options: KinesisStreamReaderOptions & { pollIntervalMs?: number },
  consume: (data: Uint8Array) => void, onError: (error: unknown) => void,
): StopLiveSource {
  const abort = new AbortController();
  const reader = new KinesisStreamReader(kinesis, streamName, options);
  const done = (async () => {
    for await (const record of reader.read({ from: 'LATEST', signal: abort.signal, pollIntervalMs: options.pollIntervalMs ?? 500 })) consume(record.data);
  })().catch(onError);
  return async () => {
    abort.abort();
    await done;
  };
}

/**
 * The telemetry stream as the dashboard's source of positions: an ordinary Kinesis consumer (its own GetRecords,
 * as `npm run consumer` does), decoding each record with the domain's decoder. Records the decoder rejects are
 * not the dashboard's to keep: the services quarantine them.
 */
export class KinesisReadingSource implements LiveSource<Reading> {
  constructor(private readonly kinesis: KinesisClient, private readonly streamName: string = RESOURCE_NAMES.telemetryStream, private readonly options: { pollIntervalMs?: number } = {}) {}

  async start(deliver: (readings: readonly Reading[]) => void, onError: (error: unknown) => void): Promise<StopLiveSource> {
    return follow(this.kinesis, this.streamName, this.options, (data) => {
      const { readings } = decodeRecord(data, { now: Date.now() });
      if (readings.length > 0) deliver(readings);
    }, onError);
  }
}

/** The summary stream (`wildrydes-summary`): the name of each unicorn whose minute was emitted. */
export class KinesisMinuteClosedSource implements LiveSource<string> {
  private readonly decoder = new TextDecoder();

  constructor(private readonly kinesis: KinesisClient, private readonly streamName: string = RESOURCE_NAMES.summaryStream, private readonly options: { pollIntervalMs?: number } = {}) {}

  async start(deliver: (names: readonly string[]) => void, onError: (error: unknown) => void): Promise<StopLiveSource> {
    return follow(this.kinesis, this.streamName, this.options, (data) => {
      const names: string[] = [];
      for (const line of this.decoder.decode(data).split('\n')) {
        if (line.trim() === '') continue;
        try {
          const name = (JSON.parse(line) as { Name?: unknown }).Name;
          if (typeof name === 'string') names.push(name);
        } catch {
          // Not a summary: the stream is the aggregation service's, the dashboard only counts what it understands.
        }
      }
      if (names.length > 0) deliver(names);
    }, onError);
  }
}
