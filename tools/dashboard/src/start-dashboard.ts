import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AwsClients } from '@wildrydes/adapters/clients';
import type { KinesisGetRecords } from '@wildrydes/adapters/kinesis';
import { DynamoDbHealthReader, DynamoDbMinuteSummaryReader } from '@wildrydes/adapters/dynamodb';
import type { QueryEngine } from '@wildrydes/domain';
import { startDashboardServer } from './dashboard-server';
import { LiveFleet } from './live-fleet';
import type { LiveSource } from './live-sources.port';
import type { UnicornAlert } from '@wildrydes/domain';
import { KinesisMinuteClosedSource, KinesisReadingSource } from './sources/kinesis-sources';

/** The page's folder, beside src/. */
export const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'page');

export interface StartDashboardOptions {
  /** Clients of the local stack or of AWS. */
  readonly clients: AwsClients;
  readonly alerts: LiveSource<UnicornAlert>;
  /** How the live sources read the streams; default the Kinesis client's GetRecords (the local stack reads raw). */
  readonly kinesisGetRecords?: KinesisGetRecords;
  /** The query engine over the archive (DuckDB locally, Athena on AWS); the caller closes it. */
  readonly archive: QueryEngine;
  /** 0 = any free port. */
  readonly port: number;
  readonly tileUrl?: string;
  readonly quarantinedRecords?: () => number;
  readonly healthPollMs?: number;
  readonly log?: (message: string) => void;
}

export interface RunningDashboard {
  readonly url: string;
  readonly fleet: LiveFleet;
  stop(): Promise<void>;
}

/** The dashboard's composition root: the fleet read ports and live sources on the given clients, and the server. */
export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  const log = options.log ?? ((message: string) => console.error(message));
  const reading = options.kinesisGetRecords === undefined ? {} : { getRecords: options.kinesisGetRecords };
  const fleet = new LiveFleet({
    sources: {
      readings: new KinesisReadingSource(options.clients.kinesis, undefined, reading),
      alerts: options.alerts,
      minutesClosed: new KinesisMinuteClosedSource(options.clients.kinesis, undefined, reading),
    },
    health: new DynamoDbHealthReader(options.clients.documentClient),
    ...(options.healthPollMs === undefined ? {} : { healthPollMs: options.healthPollMs }),
    ...(options.quarantinedRecords === undefined ? {} : { quarantinedRecords: options.quarantinedRecords }),
    onError: (what, error) => log(`dashboard: ${what}: ${(error as Error).message ?? String(error)}`),
  });
  await fleet.start();
  try {
    const server = await startDashboardServer({
      fleet, minutes: new DynamoDbMinuteSummaryReader(options.clients.documentClient), archive: options.archive, port: options.port, pageDir: PAGE_DIR,
      ...(options.tileUrl === undefined ? {} : { tileUrl: options.tileUrl }),
    });
    return {
      url: server.url, fleet,
      stop: async () => {
        await server.close();
        await fleet.stop();
      },
    };
  } catch (error) {
    await fleet.stop();
    throw error;
  }
}
