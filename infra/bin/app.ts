import { App, Aspects, Tags } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  ARCHIVE_ALERTS_SUBSCRIPTION,
  statefulStackPropsFromContext,
  WildRydesAggregationStack,
  WildRydesArchivalStack,
  WildRydesHealthStack,
  WildRydesIngestionStack,
  WildRydesStatefulStack,
  WORKSHOP_ARCHIVE_CATALOG,
} from '../src/index';

/**
 * The Wild Rydes CDK app. Settings come from context (`-c key=value` or cdk.json):
 *   destroyData=true               tables and data buckets are deleted with the stack (deploy with it, then destroy)
 *   telemetryShards=N              provisioned shards for `wildrydes` instead of on-demand
 *   bytesScannedCutoffPerQuery=N   Athena per-query scan limit in bytes
 * The account and region are the CLI's (CDK_DEFAULT_*); left unset, the templates are environment-agnostic.
 *
 * One stateful stack, then one stack per service, each taking the stateful resources it uses as props. Those
 * cross-stack references make each service stack depend on the stateful one, so `cdk deploy WildRydesHealth` (without
 * --exclusively) deploys WildRydesStateful first when it has changed.
 */
const app = new App();
const env = { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] };

const stateful = new WildRydesStatefulStack(app, 'WildRydesStateful', {
  env,
  description: 'Wild Rydes fleet telemetry: streams, bus, tables, archive bucket, Glue/Athena, alert queue.',
  catalog: WORKSHOP_ARCHIVE_CATALOG,
  ...statefulStackPropsFromContext((key) => app.node.tryGetContext(key)),
});

new WildRydesIngestionStack(app, 'WildRydesIngestion', {
  env,
  description: 'Wild Rydes ingestion: POST /telemetry and uploads/ -> wildrydes.',
  telemetryStream: stateful.telemetryStream,
  summaryTable: stateful.summaryTable,
  dataBucket: stateful.dataBucket,
});

new WildRydesHealthStack(app, 'WildRydesHealth', {
  env,
  description: 'Wild Rydes health: UnicornHealth and unicorn-alert from wildrydes, silence scan every minute.',
  telemetryStream: stateful.telemetryStream,
  healthTable: stateful.healthTable,
  eventBus: stateful.eventBus,
});

new WildRydesAggregationStack(app, 'WildRydesAggregation', {
  env,
  description: 'Wild Rydes aggregation: minute summaries from wildrydes -> UnicornSensorData and wildrydes-summary.',
  telemetryStream: stateful.telemetryStream,
  summaryTable: stateful.summaryTable,
  summaryStream: stateful.summaryStream,
});

new WildRydesArchivalStack(app, 'WildRydesArchival', {
  env,
  description: 'Wild Rydes archival: raw readings and unicorn-alert events -> the data bucket.',
  telemetryStream: stateful.telemetryStream,
  dataBucket: stateful.dataBucket,
  eventBus: stateful.eventBus,
  alertSubscription: ARCHIVE_ALERTS_SUBSCRIPTION,
});

Tags.of(app).add('project', 'wildrydes-fleet-telemetry');
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
