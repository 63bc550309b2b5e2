import { ListEventBusesCommand } from '@aws-sdk/client-eventbridge';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { RESOURCE_NAMES } from '@wildrydes/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '@wildrydes/adapters/clients';
import { ANY_FREE_PORTS } from './local-runtime.test-support';
import { provisionResources } from './provision-resources';
import { startLocalRuntime, type LocalRuntime } from './start-local-runtime';

describe('provisionResources against the local runtime', () => {
  let runtime: LocalRuntime;
  let clients: AwsClients;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ ports: ANY_FREE_PORTS });
    clients = createAwsClients(runtime.endpoints);
  });

  afterAll(async () => {
    clients?.destroy();
    await runtime?.stop();
  });

  it('creates every resource once, then finds them all existing', async () => {
    const names = {
      telemetryStream: 'idempotent-telemetry',
      summaryStream: 'idempotent-summary',
      healthTable: 'IdempotentHealth',
      summaryTable: 'IdempotentSensorData',
      dataBucket: 'idempotent-data',
    };

    const first = await provisionResources(clients, names);
    const second = await provisionResources(clients, names);

    const all = [
      `stream ${names.telemetryStream}`,
      `stream ${names.summaryStream}`,
      `table ${names.healthTable}`,
      `table ${names.summaryTable}`,
      `bucket ${names.dataBucket}`,
    ];
    expect(first).toEqual({ created: all, existing: [] });
    expect(second).toEqual({ created: [], existing: all });
  });

  it('creates the event bus when given an EventBridge client and a bus name, once', async () => {
    const names = { ...RESOURCE_NAMES, eventBus: 'idempotent-bus' };

    const first = await provisionResources(clients, names);
    const second = await provisionResources(clients, names);
    const buses = await clients.eventBridge.send(new ListEventBusesCommand({}));

    expect(first.created).toContain('bus idempotent-bus');
    expect(second.existing).toContain('bus idempotent-bus');
    expect(buses.EventBuses?.map((b) => b.Name)).toContain('idempotent-bus');
  });

  it('leaves the streams ACTIVE with the requested shard counts', async () => {
    const names = { ...RESOURCE_NAMES, telemetryStream: 'shards-telemetry', summaryStream: 'shards-summary' };
    await provisionResources(clients, names, { telemetryShardCount: 4, summaryShardCount: 3 });

    const telemetry = await clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: names.telemetryStream }));
    const summary = await clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: names.summaryStream }));

    expect(telemetry.StreamDescriptionSummary).toMatchObject({ StreamStatus: 'ACTIVE', OpenShardCount: 4 });
    expect(summary.StreamDescriptionSummary).toMatchObject({ StreamStatus: 'ACTIVE', OpenShardCount: 3 });
  });

  it('defaults to 2 and 1 shards', async () => {
    const names = { ...RESOURCE_NAMES, telemetryStream: 'default-telemetry', summaryStream: 'default-summary' };
    await provisionResources(clients, names);

    const telemetry = await clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: names.telemetryStream }));
    const summary = await clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: names.summaryStream }));

    expect(telemetry.StreamDescriptionSummary?.OpenShardCount).toBe(2);
    expect(summary.StreamDescriptionSummary?.OpenShardCount).toBe(1);
  });

  it('creates the domain tables on demand, keyed by Name, and Name + StatusTime, and the data bucket', async () => {
    await provisionResources(clients);

    const health = await clients.dynamodb.send(new DescribeTableCommand({ TableName: RESOURCE_NAMES.healthTable }));
    const summaries = await clients.dynamodb.send(new DescribeTableCommand({ TableName: RESOURCE_NAMES.summaryTable }));

    expect(health.Table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'Name', KeyType: 'HASH' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });
    expect(summaries.Table?.KeySchema).toEqual([
      { AttributeName: 'Name', KeyType: 'HASH' },
      { AttributeName: 'StatusTime', KeyType: 'RANGE' },
    ]);
    await expect(clients.s3.send(new HeadBucketCommand({ Bucket: RESOURCE_NAMES.dataBucket }))).resolves.toBeDefined();
  });
});
