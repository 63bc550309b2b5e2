import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { KinesisStreamReader, type KinesisStreamReaderOptions } from '@wildrydes/adapters/kinesis';
import { decodeRecord, RESOURCE_NAMES, type Reading } from '@wildrydes/domain';
import type { LiveSource, StopLiveSource } from '../live-sources.port';

/** After a failed read (throttling, a network fault), the reader starts again from LATEST this much later. */
const RESTART_AFTER_MS = 5_000;

export interface KinesisSourceOptions extends KinesisStreamReaderOptions {
  /** Pause after a poll that found every shard at its tip. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** Default 5 s; tests pass less. */
  readonly restartAfterMs?: number;
}

/**
 * Runs `consume` over a stream read from LATEST (only what arrives from now on) until stopped. A shard allows 5
 * GetRecords a second across all its consumers, and the three stream services poll about once a second each, so
 * the dashboard polls once a second too (its frames go out once a second anyway). A read that fails is reported
 * and started again: a live view would rather skip what it missed than stop.
 */
function follow(
  kinesis: KinesisClient, streamName: string, options: KinesisSourceOptions,
  consume: (data: Uint8Array) => void, onError: (error: unknown) => void,
): StopLiveSource {
  const abort = new AbortController();
  const reader = new KinesisStreamReader(kinesis, streamName, options);
  const done = (async () => {
    while (!abort.signal.aborted) {
      try {
        for await (const record of reader.read({ from: 'LATEST', signal: abort.signal, pollIntervalMs: options.pollIntervalMs ?? 1000 })) consume(record.data);
      } catch (error) {
        onError(error);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.restartAfterMs ?? RESTART_AFTER_MS);
          abort.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
        });
      }
    }
  })();
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
  constructor(private readonly kinesis: KinesisClient, private readonly streamName: string = RESOURCE_NAMES.telemetryStream, private readonly options: KinesisSourceOptions = {}) {}

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

  constructor(private readonly kinesis: KinesisClient, private readonly streamName: string = RESOURCE_NAMES.summaryStream, private readonly options: KinesisSourceOptions = {}) {}

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
