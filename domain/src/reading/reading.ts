import { formatStatusTime } from '../time/status-time';

/** One sensor reading: where a unicorn was, how far it went in the last second, and its vitals. */
export interface Reading {
  readonly name: string;
  /** Event time, epoch milliseconds UTC (the reading's own `StatusTime`). */
  readonly time: number;
  readonly latitude: number;
  readonly longitude: number;
  /** Metres travelled in the second before `time`. */
  readonly distance: number;
  readonly magicPoints: number;
  readonly healthPoints: number;
}

export type Vital = 'MagicPoints' | 'HealthPoints';
export const VITALS: readonly Vital[] = ['MagicPoints', 'HealthPoints'];

export const vitalValue = (reading: Reading, vital: Vital): number =>
  vital === 'MagicPoints' ? reading.magicPoints : reading.healthPoints;

/** The workshop producer's record shape (v2 key order: alphabetical, as Go marshalled its struct). */
export interface WorkshopReadingRecord {
  Distance: number;
  HealthPoints: number;
  Latitude: number;
  Longitude: number;
  MagicPoints: number;
  Name: string;
  StatusTime: string;
}

/** A reading as the workshop wrote it; used for the archive, the streams and the producer. */
export function toWorkshopRecord(reading: Reading): WorkshopReadingRecord {
  return {
    Distance: reading.distance,
    HealthPoints: reading.healthPoints,
    Latitude: reading.latitude,
    Longitude: reading.longitude,
    MagicPoints: reading.magicPoints,
    Name: reading.name,
    StatusTime: formatStatusTime(reading.time),
  };
}

/** The identity of a reading (docs/design.md): the same name and time is the same reading, however often delivered. */
export const readingIdentity = (reading: Pick<Reading, 'name' | 'time'>): string => `${reading.name}\u0000${reading.time}`;
