import type { App, Environment } from 'aws-cdk-lib';
import { DEFAULT_STAGE, stagedName } from '@wildrydes/domain';
import { WildRydesAggregationStack } from './aggregation-stack';
import { archiveAlertsSubscription, WildRydesArchivalStack } from './archival-stack';
import { WildRydesDashboardStack } from './dashboard-stack';
import { WildRydesHealthStack } from './health-stack';
import { WildRydesIngestionStack } from './ingestion-stack';
import { WildRydesStatefulStack, type WildRydesStatefulStackProps } from './stateful-stack';
import { alarmEmailFromContext, stageFromContext, statefulStackPropsFromContext } from './stateful-stack-context';
import { WORKSHOP_ARCHIVE_CATALOG } from './workshop-catalog';

/** The construct ids the CDK CLI selects stacks by (`cdk deploy WildRydesHealth`), the same in every stage. */
export const STACK_IDS = {
  stateful: 'WildRydesStateful',
  ingestion: 'WildRydesIngestion',
  health: 'WildRydesHealth',
  aggregation: 'WildRydesAggregation',
  archival: 'WildRydesArchival',
  dashboard: 'WildRydesDashboard',
} as const;

export interface WildRydesStacks {
  readonly stateful: WildRydesStatefulStack;
  readonly ingestion: WildRydesIngestionStack;
  readonly health: WildRydesHealthStack;
  readonly aggregation: WildRydesAggregationStack;
  readonly archival: WildRydesArchivalStack;
  readonly dashboard: WildRydesDashboardStack;
}

export type WildRydesSettings = Omit<WildRydesStatefulStackProps, 'catalog' | 'env' | 'description' | 'stackName'> & {
  readonly env?: Environment;
};

/**
 * One stage of the product: the stateful stack, one stack per service and the dashboard. Construct ids stay the
 * same in every stage (so `cdk deploy WildRydesHealth -c stage=dev` selects the dev stack) while every stack name
 * carries the stage (`WildRydesHealth-dev`), as every physical name inside does.
 */
export function addWildRydesStacks(app: App, settings: WildRydesSettings = {}): WildRydesStacks {
  const stage = settings.stage ?? DEFAULT_STAGE;
  const env = settings.env ?? {};
  const common = (id: string) => ({ env, stackName: stagedName(id, stage) });
  const stateful = new WildRydesStatefulStack(app, STACK_IDS.stateful, {
    ...common(STACK_IDS.stateful),
    ...settings,
    stage,
    description: 'Wild Rydes fleet telemetry: streams, bus, tables, archive bucket, Glue/Athena, alert queue, alarm topic.',
    catalog: WORKSHOP_ARCHIVE_CATALOG,
  });
  const operated = { stage, alarmTopic: stateful.alarmTopic };
  const ingestion = new WildRydesIngestionStack(app, STACK_IDS.ingestion, {
    ...common(STACK_IDS.ingestion), ...operated,
    description: 'Wild Rydes ingestion: POST /telemetry and uploads/ -> wildrydes.',
    telemetryStream: stateful.telemetryStream,
    summaryTable: stateful.summaryTable,
    dataBucket: stateful.dataBucket,
  });
  const health = new WildRydesHealthStack(app, STACK_IDS.health, {
    ...common(STACK_IDS.health), ...operated,
    description: 'Wild Rydes health: UnicornHealth and unicorn-alert from wildrydes, silence scan every minute.',
    telemetryStream: stateful.telemetryStream,
    healthTable: stateful.healthTable,
    eventBus: stateful.eventBus,
  });
  const aggregation = new WildRydesAggregationStack(app, STACK_IDS.aggregation, {
    ...common(STACK_IDS.aggregation), ...operated,
    description: 'Wild Rydes aggregation: minute summaries from wildrydes -> UnicornSensorData and wildrydes-summary.',
    telemetryStream: stateful.telemetryStream,
    summaryTable: stateful.summaryTable,
    summaryStream: stateful.summaryStream,
  });
  const archival = new WildRydesArchivalStack(app, STACK_IDS.archival, {
    ...common(STACK_IDS.archival), ...operated,
    description: 'Wild Rydes archival: raw readings and unicorn-alert events -> the data bucket.',
    telemetryStream: stateful.telemetryStream,
    dataBucket: stateful.dataBucket,
    eventBus: stateful.eventBus,
    alertSubscription: archiveAlertsSubscription(stage),
  });
  const dashboard = new WildRydesDashboardStack(app, STACK_IDS.dashboard, {
    ...common(STACK_IDS.dashboard),
    description: 'Wild Rydes CloudWatch dashboard: readings in, lag, alerts by kind, quarantine, DynamoDB, cost drivers.',
    stage, stateful, ingestion, health, aggregation, archival,
  });
  return { stateful, ingestion, health, aggregation, archival, dashboard };
}

/** Every setting the app reads from context; see bin/app.ts. */
export function wildRydesSettingsFromContext(get: (key: string) => unknown): WildRydesSettings {
  const alarmEmail = alarmEmailFromContext(get);
  return {
    stage: stageFromContext(get),
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
    ...statefulStackPropsFromContext(get),
  };
}
