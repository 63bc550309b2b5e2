/**
 * Test data for the query adapters: readings exactly as the workshop producer writes them and alerts as the health
 * service archives them, generated from a seed so every run (and every engine) sees the same archive.
 */

import { ALERT_KINDS, SEVERITY_OF, formatStatusTime, type UnicornAlert, type WorkshopReadingRecord } from '@wildrydes/domain';

/** A line of a `raw/` object: the workshop producer's record, StatusTime `YYYY-MM-DD HH:MM:SS.mmm` UTC. */
export type ArchivedReading = Readonly<WorkshopReadingRecord>;

/** A line of an `alerts/` object: the `unicorn-alert` detail. */
export type ArchivedAlert = UnicornAlert;

export interface FleetOptions {
  readonly unicorns: number;
  readonly readingsPerUnicorn: number;
  /** First reading's time, epoch ms UTC. */
  readonly startMs: number;
  readonly intervalMs: number;
  readonly seed: number;
}

const NAMES = ['Shadowfax', 'Rocinante', 'Bucephalus', 'Epona', 'Pegasus', "Al'Borak", 'Brego', 'Artax'];

/** 22:30 UTC, so a few hours of readings cross midnight into a second `dt` partition. */
export const FLEET_START_MS = Date.UTC(2026, 10, 21, 22, 30, 0, 0);

export function fleetReadings(options: Partial<FleetOptions> = {}): ArchivedReading[] {
  const { unicorns = 6, readingsPerUnicorn = 80, startMs = FLEET_START_MS, intervalMs = 180_000, seed = 42 } = options;
  const random = mulberry32(seed);
  const readings: ArchivedReading[] = [];
  for (let u = 0; u < unicorns; u++) {
    const name = u < NAMES.length ? NAMES[u]! : `Unicorn-${String(u).padStart(4, '0')}`;
    let latitude = 40.7 + random() / 10;
    let longitude = -74 + random() / 10;
    for (let i = 0; i < readingsPerUnicorn; i++) {
      latitude += (random() - 0.5) / 1000;
      longitude += (random() - 0.5) / 1000;
      // Distances as the producer writes them: sometimes a whole number, usually two decimals.
      const distance = i % 3 === 0 ? Math.floor(random() * 40) : Math.round(random() * 4000) / 100;
      readings.push({
        Name: name,
        // A per-unicorn offset of a few ms keeps timestamps unique and gives them real millisecond parts.
        StatusTime: statusTime(startMs + i * intervalMs + u * 7 + 120),
        Latitude: Math.round(latitude * 1e6) / 1e6,
        Longitude: Math.round(longitude * 1e6) / 1e6,
        Distance: distance,
        MagicPoints: 50 + Math.floor(random() * 150),
        HealthPoints: 50 + Math.floor(random() * 150),
      });
    }
  }
  return readings;
}

/** A few alerts of every kind, some without a vital (UnicornSilent/Back carry nulls). */
export function fleetAlerts(readings: readonly ArchivedReading[]): ArchivedAlert[] {
  return readings
    .filter((_, i) => i % 37 === 0)
    .map((reading, i): ArchivedAlert => {
      const kind = ALERT_KINDS[i % ALERT_KINDS.length]!;
      const vitalKind = kind.startsWith('Vital');
      return {
        alertId: `alert-${String(i).padStart(4, '0')}`,
        name: reading.Name,
        kind,
        severity: SEVERITY_OF[kind],
        vital: vitalKind ? 'HealthPoints' : null,
        value: vitalKind ? reading.HealthPoints : null,
        threshold: vitalKind ? 100 : null,
        readingTime: reading.StatusTime,
        latitude: reading.Latitude,
        longitude: reading.Longitude,
        schemaVersion: '1',
      };
    });
}

export const statusTime = formatStatusTime;

/** `2026-11-22 10:15:03.120` → `2026-11-22T10:15:03.120Z`, the port's timestamp form. */
export const isoOf = (time: string): string => `${time.replace(' ', 'T')}Z`;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
