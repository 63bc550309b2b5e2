/**
 * The names every resource has, on AWS and locally. They are the workshop's where the workshop named it,
 * so anyone who followed the workshop recognises them.
 */
export const RESOURCE_NAMES = {
  telemetryStream: 'wildrydes',
  summaryStream: 'wildrydes-summary',
  eventBus: 'wildrydes',
  healthTable: 'UnicornHealth',
  summaryTable: 'UnicornSensorData',
  dataBucket: 'wildrydes-data',
  athenaTable: 'wildrydes',
  athenaAlertsTable: 'unicorn_alerts',
  athenaDatabase: 'wildrydes',
  athenaWorkgroup: 'wildrydes',
  /** The archival service's own subscription to `unicorn-alert` on the bus. */
  archivalAlertRule: 'wildrydes-archival-unicorn-alert',
} as const;

/** Key schemas of the two tables: both partition on the unicorn's name. */
export const TABLE_KEYS = {
  UnicornHealth: { partitionKey: 'Name' },
  UnicornSensorData: { partitionKey: 'Name', sortKey: 'StatusTime' },
} as const;

/** A stage's names: the same keys as `RESOURCE_NAMES`, any values. */
export type ResourceNames = { readonly [K in keyof typeof RESOURCE_NAMES]: string };

/**
 * The stage whose names are the workshop's own (`RESOURCE_NAMES` unchanged): what `npm start`, the workshop's
 * commands and a deploy without a stage use.
 */
export const DEFAULT_STAGE = 'default';

/** Lowercase letters and digits, starting with a letter: valid in every name it joins (S3 buckets, Glue databases). */
const STAGE_PATTERN = /^[a-z][a-z0-9]{0,11}$/;

export class InvalidStageError extends Error {
  readonly code = 'INVALID_STAGE';
  constructor(readonly stage: string) {
    super(`stage "${stage}": expected 1–12 lowercase letters or digits, starting with a letter (e.g. dev, alice, pr42)`);
    this.name = 'InvalidStageError';
  }
}

/** Checks a stage name; the default stage passes as is. */
export function checkStage(stage: string): string {
  if (stage !== DEFAULT_STAGE && !STAGE_PATTERN.test(stage)) throw new InvalidStageError(stage);
  return stage;
}

/**
 * The one rule that makes a name a stage's: the default stage keeps it, any other stage appends `-<stage>`
 * (`_<stage>` where only underscores are allowed, e.g. Glue databases). Infra applies it to every name it sets
 * (stacks, alarms, queues, rules, the dashboard), so two stages in one account and region never share one.
 */
export function stagedName(name: string, stage: string = DEFAULT_STAGE, separator: '-' | '_' = '-'): string {
  return checkStage(stage) === DEFAULT_STAGE ? name : `${name}${separator}${stage}`;
}

/**
 * A stage's resource names. Tables in the Glue database (`athenaTable`, `athenaAlertsTable`) keep their names: the
 * database already belongs to the stage, and the workshop's SQL names them.
 */
export function resourceNames(stage: string = DEFAULT_STAGE): ResourceNames {
  const staged = (name: string) => stagedName(name, stage);
  return {
    telemetryStream: staged(RESOURCE_NAMES.telemetryStream),
    summaryStream: staged(RESOURCE_NAMES.summaryStream),
    eventBus: staged(RESOURCE_NAMES.eventBus),
    healthTable: staged(RESOURCE_NAMES.healthTable),
    summaryTable: staged(RESOURCE_NAMES.summaryTable),
    dataBucket: staged(RESOURCE_NAMES.dataBucket),
    athenaTable: RESOURCE_NAMES.athenaTable,
    athenaAlertsTable: RESOURCE_NAMES.athenaAlertsTable,
    athenaDatabase: stagedName(RESOURCE_NAMES.athenaDatabase, stage, '_'),
    athenaWorkgroup: staged(RESOURCE_NAMES.athenaWorkgroup),
    archivalAlertRule: staged(RESOURCE_NAMES.archivalAlertRule),
  };
}
