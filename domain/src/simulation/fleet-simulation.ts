import type { Reading } from '../reading/reading';
import { formatStatusTime } from '../time/status-time';
import { SeededRandom } from './seeded-random';

/**
 * A simulated fleet that flies like the workshop's producer: from the Empire State Building on a fixed
 * random heading, one reading a second, with magic and health points on a lazy random walk from 150.
 * Seeded and pure: the same options give the same records, so tests and demos are reproducible.
 */

export const START_LATITUDE = 40.749167;
export const START_LONGITUDE = -73.985184;
const METRES_PER_DEGREE_LATITUDE = 110_540;
const METRES_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111_320;

export const WORKSHOP_UNICORNS = ['Shadowfax', 'Bucephalus', 'Rocinante'] as const;
const MORE_NAMES = ['Pegasus', 'Epona', 'Sleipnir', 'Arion', 'Brigadier', 'Marengo', 'Copenhagen', 'Comanche', 'Traveller', 'Trigger', 'Silver', 'Artax', 'Binky', 'Falada', 'Grane', 'Hrimfaxi', 'Skinfaxi', 'Llamrei', 'Tulpar', 'Buraq'];

/** The i-th unicorn's name: the workshop's three first, then more, then numbered ones. */
export function unicornName(index: number): string {
  if (index < WORKSHOP_UNICORNS.length) return WORKSHOP_UNICORNS[index]!;
  const j = index - WORKSHOP_UNICORNS.length;
  if (j < MORE_NAMES.length) return MORE_NAMES[j]!;
  return `Unicorn-${String(index + 1).padStart(6, '0')}`;
}

/** v1: integer distance in a per-unicorn band of [min, min+19], min in [100, 199]. v2: decimal distance in [29, 31). */
export type ProducerFormat = 'v1' | 'v2';

export interface FleetScenarios {
  /** This unicorn's health falls ~2 points a second, so a warning fires within ~30 s and critical within ~60 s. */
  readonly decliningUnicorn?: string;
  /** This unicorn stops reporting for a while, so it goes silent and then comes back. */
  readonly silentUnicorn?: string;
  /** Seconds after the start at which the silent unicorn stops, and for how long. */
  readonly silentFromSecond?: number;
  readonly silentForSeconds?: number;
  /** Every k-th record is a poison record (invalid in one of several ways), as the workshop's `-error` did every 5th. */
  readonly poisonEvery?: number;
  /** Every k-th reading is sent twice. */
  readonly duplicateEvery?: number;
  /** Every k-th reading is held back and sent `lateBySeconds` later, with its original time. */
  readonly lateEvery?: number;
  readonly lateBySeconds?: number;
}

export interface FleetOptions {
  readonly seed: number;
  readonly unicorns: number;
  /** Epoch ms of the first tick. */
  readonly startTime: number;
  readonly format?: ProducerFormat;
  readonly scenarios?: FleetScenarios;
}

export type SimulatedRecordKind = 'reading' | 'duplicate' | 'late' | 'poison';

export interface SimulatedRecord {
  /** Kinesis partition key: the unicorn's name, as the workshop's producer used. */
  readonly partitionKey: string;
  /** The record's text, exactly as the producer would send it. */
  readonly data: string;
  readonly kind: SimulatedRecordKind;
  /** The reading behind it; absent for poison records. */
  readonly reading?: Reading;
}

interface UnicornFlight {
  readonly name: string;
  readonly heading: number;
  readonly minDistance: number;
  /** Milliseconds past each second at which this unicorn's sensor ticks. */
  readonly phaseMs: number;
  latitude: number;
  longitude: number;
  magicPoints: number;
  healthPoints: number;
}

const POISON_SHAPES: readonly ((name: string, time: string) => string)[] = [
  (name) => `{"Name":"${name}","StatusTime":`, // truncated JSON
  (name, time) => `{"Name":"${name}","StatusTime":"${time}","Latitude":40.7,"Longitude":-73.9,"MagicPoints":150,"HealthPoints":150}`, // no Distance
  (name, time) => `{"Name":"${name}","StatusTime":"${time}","Latitude":123.4,"Longitude":-73.9,"Distance":30,"MagicPoints":150,"HealthPoints":150}`,
  (name, time) => `{"Name":"${name}","StatusTime":"${time}","Latitude":40.7,"Longitude":-73.9,"Distance":-5,"MagicPoints":150,"HealthPoints":150}`,
  (name) => `{"Name":"${name}","StatusTime":"yesterday","Latitude":40.7,"Longitude":-73.9,"Distance":30,"MagicPoints":150,"HealthPoints":150}`,
  (name, time) => `{"Name":"${name}","StatusTime":"${time}","Latitude":40.7,"Longitude":-73.9,"Distance":30,"MagicPoints":"lots","HealthPoints":150}`,
  (name, time) => `{"Name":"${name}","StatusTime":"${time}","Latitude":40.7,"Longitude":-73.9,"Distance":30,"MagicPoints":150.5,"HealthPoints":150}`,
];

export class InvalidFleetOptionsError extends Error {
  readonly code = 'INVALID_FLEET_OPTIONS';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFleetOptionsError';
  }
}

export class FleetSimulation {
  private readonly random: SeededRandom;
  private readonly flights: UnicornFlight[] = [];
  private readonly format: ProducerFormat;
  private readonly scenarios: FleetScenarios;
  private readonly heldBack = new Map<number, SimulatedRecord[]>();
  private second = 0;
  private recordCounter = 0;
  private readingCounter = 0;

  constructor(private readonly options: FleetOptions) {
    if (!Number.isInteger(options.unicorns) || options.unicorns < 0) throw new InvalidFleetOptionsError(`unicorns must be a whole number ≥ 0, got ${options.unicorns}`);
    for (const key of ['poisonEvery', 'duplicateEvery', 'lateEvery'] as const) {
      const k = options.scenarios?.[key];
      if (k !== undefined && (!Number.isInteger(k) || k < 1)) throw new InvalidFleetOptionsError(`${key} must be a whole number ≥ 1, got ${k}`);
    }
    this.random = new SeededRandom(options.seed);
    this.format = options.format ?? 'v2';
    this.scenarios = options.scenarios ?? {};
    for (let i = 0; i < options.unicorns; i++) {
      this.flights.push({
        name: unicornName(i),
        heading: this.random.next() * 2 * Math.PI,
        minDistance: 100 + this.random.int(100),
        phaseMs: this.random.int(1000),
        latitude: START_LATITUDE,
        longitude: START_LONGITUDE,
        magicPoints: 150,
        healthPoints: 150,
      });
    }
  }

  /** Seconds simulated so far. */
  get elapsedSeconds(): number {
    return this.second;
  }

  /** Advances the fleet by one second and returns the records its sensors send in that second. */
  tick(): SimulatedRecord[] {
    const s = this.second++;
    const out: SimulatedRecord[] = [];
    const { silentUnicorn, silentFromSecond = 45, silentForSeconds = 75, lateBySeconds = 90 } = this.scenarios;
    for (const flight of this.flights) {
      const reading = this.step(flight, s);
      if (flight.name === silentUnicorn && s >= silentFromSecond && s < silentFromSecond + silentForSeconds) continue;
      const recordNo = ++this.recordCounter;
      if (this.scenarios.poisonEvery !== undefined && recordNo % this.scenarios.poisonEvery === 0) {
        const shape = POISON_SHAPES[(recordNo / this.scenarios.poisonEvery) % POISON_SHAPES.length]!;
        out.push({ partitionKey: flight.name, data: shape(flight.name, formatStatusTime(reading.time)) + (this.format === 'v2' ? '\n' : ''), kind: 'poison' });
        continue;
      }
      const readingNo = ++this.readingCounter;
      const record: SimulatedRecord = { partitionKey: flight.name, data: this.encode(reading), kind: 'reading', reading };
      if (this.scenarios.lateEvery !== undefined && readingNo % this.scenarios.lateEvery === 0) {
        const due = s + lateBySeconds;
        const held = this.heldBack.get(due) ?? [];
        held.push({ ...record, kind: 'late' });
        this.heldBack.set(due, held);
        continue;
      }
      out.push(record);
      if (this.scenarios.duplicateEvery !== undefined && readingNo % this.scenarios.duplicateEvery === 0) out.push({ ...record, kind: 'duplicate' });
    }
    const late = this.heldBack.get(s);
    if (late !== undefined) {
      this.heldBack.delete(s);
      out.push(...late);
    }
    return out;
  }

  /** Records still held back by the late scenario (a finite run should send them at the end). */
  flushLate(): SimulatedRecord[] {
    const rest = [...this.heldBack.entries()].sort(([a], [b]) => a - b).flatMap(([, records]) => records);
    this.heldBack.clear();
    return rest;
  }

  private step(flight: UnicornFlight, second: number): Reading {
    // The workshop's walk: step 0 with probability 1/2, +1 or -1 with 1/4 each, applied before the record is built.
    flight.magicPoints += this.walkStep();
    flight.healthPoints += this.walkStep();
    if (flight.name === this.scenarios.decliningUnicorn) {
      flight.healthPoints = Math.max(1, flight.healthPoints - 2);
    }
    const distance = this.format === 'v1'
      ? flight.minDistance + this.random.int(20)
      : 29 + this.random.int(2) + this.random.next();
    const previousLatitude = flight.latitude;
    flight.latitude = previousLatitude + (distance * Math.sin(flight.heading)) / METRES_PER_DEGREE_LATITUDE;
    flight.longitude += (distance * Math.cos(flight.heading)) / (METRES_PER_DEGREE_LONGITUDE_AT_EQUATOR * Math.cos((previousLatitude * Math.PI) / 180));
    return {
      name: flight.name,
      time: this.options.startTime + second * 1000 + flight.phaseMs,
      latitude: flight.latitude,
      longitude: flight.longitude,
      distance,
      magicPoints: flight.magicPoints,
      healthPoints: flight.healthPoints,
    };
  }

  private walkStep(): number {
    const y = this.random.int(2);
    return this.random.nextUint32() % 2 === 0 ? -y : y;
  }

  private encode(r: Reading): string {
    const StatusTime = formatStatusTime(r.time);
    if (this.format === 'v1') {
      return JSON.stringify({ Name: r.name, StatusTime, Latitude: r.latitude, Longitude: r.longitude, Distance: r.distance, MagicPoints: r.magicPoints, HealthPoints: r.healthPoints });
    }
    return JSON.stringify({ Distance: r.distance, HealthPoints: r.healthPoints, Latitude: r.latitude, Longitude: r.longitude, MagicPoints: r.magicPoints, Name: r.name, StatusTime }) + '\n';
  }
}
