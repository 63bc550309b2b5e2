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

export type ResourceNames = typeof RESOURCE_NAMES;
