import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { createAwsClients, type AwsClientEndpoints } from '@wildrydes/adapters/clients';
import { DynamoDbSummaryLedger } from '@wildrydes/adapters/dynamodb';
import { KinesisStreamHistory } from '@wildrydes/adapters/kinesis';
import { AthenaQueryEngine, DuckDbQueryEngine } from '@wildrydes/adapters/query';
import { S3ArchiveStore } from '@wildrydes/adapters/s3';
import { RESOURCE_NAMES } from '@wildrydes/domain';
import type { CountSources, PublishedAlert } from './count-sources';

export interface OpenedSources {
  readonly sources: CountSources;
  close(): Promise<void>;
}

/** The tool's composition root, locally: the stand-ins' endpoints, DuckDB over s3rver's folder. */
export function openLocalSources(endpoints: AwsClientEndpoints & { readonly s3DataDir: string }, publishedAlerts?: readonly PublishedAlert[]): OpenedSources {
  const clients = createAwsClients(endpoints);
  const engine = new DuckDbQueryEngine({ bucketDir: join(endpoints.s3DataDir, RESOURCE_NAMES.dataBucket), layout: 's3rver' });
  return {
    sources: sourcesOf(clients, engine, publishedAlerts),
    close: async () => {
      await engine.close();
      clients.destroy();
    },
  };
}

export interface AwsTarget {
  readonly region: string | undefined;
  readonly workgroup: string;
  readonly database: string;
  readonly outputLocation: string | undefined;
  readonly timeoutMs: number;
}

/**
 * The tool's composition root on AWS: the default credential chain and region (the CLI sets AWS_REGION from
 * --region), Athena for the archive.
 */
export function openAwsSources(target: AwsTarget, publishedAlerts?: readonly PublishedAlert[]): OpenedSources {
  const clients = createAwsClients();
  const athena = new AthenaClient(target.region === undefined ? {} : { region: target.region });
  const engine = new AthenaQueryEngine(athena, {
    workgroup: target.workgroup, database: target.database, pollIntervalMs: 500, timeoutMs: target.timeoutMs,
    ...(target.outputLocation === undefined ? {} : { outputLocation: target.outputLocation }),
  });
  return {
    sources: sourcesOf(clients, engine, publishedAlerts),
    close: async () => {
      athena.destroy();
      clients.destroy();
    },
  };
}

function sourcesOf(clients: ReturnType<typeof createAwsClients>, engine: CountSources['archive'], publishedAlerts: readonly PublishedAlert[] | undefined): CountSources {
  return {
    telemetry: new KinesisStreamHistory(clients.kinesis, RESOURCE_NAMES.telemetryStream),
    summaryStream: new KinesisStreamHistory(clients.kinesis, RESOURCE_NAMES.summaryStream),
    summaries: new DynamoDbSummaryLedger(clients.documentClient, { tableName: RESOURCE_NAMES.summaryTable }),
    archive: engine,
    bucket: new S3ArchiveStore(clients.s3, RESOURCE_NAMES.dataBucket),
    ...(publishedAlerts === undefined ? {} : { publishedAlerts }),
  };
}
