import { formatStatusTime, type StoredHealth, type UnicornHealthState, type VitalLevel } from '@wildrydes/domain';
import { DynamoDbInvalidItemError } from './dynamodb.errors';

/**
 * The `UnicornHealth` item of one unicorn (key `Name`): the state's fields, the time both as a number to compare
 * (`LastReadingTime`, epoch ms) and as the workshop's readable `StatusTime`, the two vital levels, `Silent` and
 * the optimistic-concurrency `Version`. About 190 bytes: 1 WRU a write, 0.5 RRU an eventually consistent read.
 */
export interface HealthItem {
  readonly Name: string;
  readonly LastReadingTime: number;
  readonly StatusTime: string;
  readonly Latitude: number;
  readonly Longitude: number;
  readonly MagicPoints: number;
  readonly HealthPoints: number;
  readonly MagicLevel: VitalLevel;
  readonly HealthLevel: VitalLevel;
  readonly Silent: boolean;
  readonly Version: number;
}

const VITAL_LEVELS: readonly string[] = ['ok', 'warning', 'critical'] satisfies VitalLevel[];

export function toHealthItem(state: UnicornHealthState, version: number): HealthItem {
  return {
    Name: state.name,
    LastReadingTime: state.lastReadingTime,
    StatusTime: formatStatusTime(state.lastReadingTime),
    Latitude: state.latitude,
    Longitude: state.longitude,
    MagicPoints: state.magicPoints,
    HealthPoints: state.healthPoints,
    MagicLevel: state.levels.MagicPoints,
    HealthLevel: state.levels.HealthPoints,
    Silent: state.silent,
    Version: version,
  };
}

export function fromHealthItem(tableName: string, item: Record<string, unknown>): StoredHealth {
  const invalid = (why: string): DynamoDbInvalidItemError => new DynamoDbInvalidItemError(tableName, `item ${String(item['Name'])} ${why}`);
  if (typeof item['Name'] !== 'string') throw invalid('has no Name');
  for (const attribute of ['LastReadingTime', 'Latitude', 'Longitude', 'MagicPoints', 'HealthPoints', 'Version'] as const) {
    if (typeof item[attribute] !== 'number') throw invalid(`has no numeric ${attribute}`);
  }
  const magicLevel = item['MagicLevel'];
  const healthLevel = item['HealthLevel'];
  if (typeof magicLevel !== 'string' || !VITAL_LEVELS.includes(magicLevel)) throw invalid(`has an unknown MagicLevel ${String(magicLevel)}`);
  if (typeof healthLevel !== 'string' || !VITAL_LEVELS.includes(healthLevel)) throw invalid(`has an unknown HealthLevel ${String(healthLevel)}`);
  if (typeof item['Silent'] !== 'boolean') throw invalid('has no boolean Silent');
  return {
    state: {
      name: item['Name'],
      lastReadingTime: item['LastReadingTime'] as number,
      latitude: item['Latitude'] as number,
      longitude: item['Longitude'] as number,
      magicPoints: item['MagicPoints'] as number,
      healthPoints: item['HealthPoints'] as number,
      levels: { MagicPoints: magicLevel as VitalLevel, HealthPoints: healthLevel as VitalLevel },
      silent: item['Silent'],
    },
    version: item['Version'] as number,
  };
}
