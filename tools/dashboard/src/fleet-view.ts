import type { Reading, UnicornAlert, UnicornHealthView, VitalLevel } from '@wildrydes/domain';

/** How the map colours a unicorn: the worse of its two vitals (warning shows as "low"), or silent. */
export type HealthLevel = 'ok' | 'low' | 'critical' | 'silent';
export const LEVEL_CODES: Readonly<Record<HealthLevel, number>> = { ok: 0, low: 1, critical: 2, silent: 3 };

/** The workshop's map showed speed as Distance (metres in the last second) × 2.23694, in mph. */
export const MPH_PER_METRE_PER_SECOND = 2.23694;

export interface UnicornView {
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
  /** Metres in the last second of its latest reading. */
  readonly distance: number;
  readonly magicPoints: number;
  readonly healthPoints: number;
  readonly level: HealthLevel;
  readonly levels: { readonly MagicPoints: VitalLevel; readonly HealthPoints: VitalLevel };
  /** Time of its latest reading (epoch ms). */
  readonly lastReadingTime: number;
}

/** What the live stream sends once a second: names first seen since the last frame, and every unicorn that changed. */
export interface PositionFrame {
  readonly time: number;
  /** Ids are indexes into the list of names in order of first sight, stable for the server's life. */
  readonly firstNewId: number;
  readonly newNames: readonly string[];
  /** Flat, 8 numbers a unicorn: id, lat, lon (5 decimals, ~1 m), distance, magic, health, level code, reading time. */
  readonly changed: readonly number[];
  /** Unicorns whose minute summary was emitted since the last frame (the page refreshes a selected one's chart). */
  readonly minutesClosed: readonly string[];
}

export const FRAME_FIELDS = 8;

interface Tracked {
  id: number;
  name: string;
  latitude: number;
  longitude: number;
  distance: number;
  magicPoints: number;
  healthPoints: number;
  levels: { MagicPoints: VitalLevel; HealthPoints: VitalLevel };
  silent: boolean;
  lastReadingTime: number;
}

const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;

function levelOf(t: Pick<Tracked, 'levels' | 'silent'>): HealthLevel {
  if (t.silent) return 'silent';
  const { MagicPoints: m, HealthPoints: h } = t.levels;
  if (m === 'critical' || h === 'critical') return 'critical';
  if (m === 'warning' || h === 'warning') return 'low';
  return 'ok';
}

/**
 * The dashboard's picture of the fleet, held in memory and fed by three sources: readings from the telemetry stream
 * (position and vitals, newest reading wins), the health table (levels, as the health service judged them), and
 * `unicorn-alert` events (level changes as they happen, between two reads of the table). It judges nothing itself:
 * levels come from the health service only.
 */
export class FleetView {
  private readonly byName = new Map<string, Tracked>();
  private readonly names: string[] = [];
  private readonly dirty = new Set<Tracked>();
  private readonly closedMinutes = new Set<string>();
  private namesSent = 0;
  private readingsSeen = 0;

  /** Readings of the live stream; older than what is held, they change nothing. */
  applyReadings(readings: readonly Reading[]): void {
    for (const r of readings) {
      this.readingsSeen++;
      const t = this.track(r.name, r.latitude, r.longitude, r.time);
      if (r.time < t.lastReadingTime) continue;
      t.latitude = r.latitude;
      t.longitude = r.longitude;
      t.distance = r.distance;
      t.magicPoints = r.magicPoints;
      t.healthPoints = r.healthPoints;
      t.lastReadingTime = r.time;
      this.dirty.add(t);
    }
  }

  /** The health table's states: levels always (the health service is the authority), position only if newer. */
  applyHealth(views: readonly UnicornHealthView[]): void {
    for (const { state, lastSeen } of views) {
      const isNew = !this.byName.has(state.name);
      const t = this.track(state.name, state.latitude, state.longitude, state.lastReadingTime);
      const before = levelOf(t);
      t.levels = { ...state.levels };
      t.silent = state.silent;
      if (isNew || state.lastReadingTime > t.lastReadingTime) {
        Object.assign(t, { latitude: state.latitude, longitude: state.longitude, magicPoints: state.magicPoints, healthPoints: state.healthPoints });
      }
      t.lastReadingTime = Math.max(t.lastReadingTime, lastSeen, state.lastReadingTime);
      if (levelOf(t) !== before) this.dirty.add(t);
    }
  }

  /** An alert moves the unicorn's level at once; the next read of the health table confirms it. */
  applyAlert(alert: UnicornAlert): void {
    const t = this.track(alert.name, alert.latitude, alert.longitude, Number.NEGATIVE_INFINITY);
    const levelAfter: Partial<Record<UnicornAlert['kind'], VitalLevel>> = { VitalLow: 'warning', VitalCritical: 'critical', VitalRecovered: 'ok' };
    const level = levelAfter[alert.kind];
    if (level !== undefined && alert.vital !== null) t.levels = { ...t.levels, [alert.vital]: level };
    if (alert.kind === 'UnicornSilent') t.silent = true;
    if (alert.kind === 'UnicornBack') t.silent = false;
    this.dirty.add(t);
  }

  minuteClosed(name: string): void {
    this.closedMinutes.add(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get size(): number {
    return this.names.length;
  }

  /** Readings applied since the view was made (for readings per second). */
  get readingsApplied(): number {
    return this.readingsSeen;
  }

  unicorn(name: string): UnicornView | undefined {
    const t = this.byName.get(name);
    return t === undefined ? undefined : this.toView(t);
  }

  list(): UnicornView[] {
    return this.names.map((name) => this.toView(this.byName.get(name)!));
  }

  counts(): Record<HealthLevel, number> {
    const counts: Record<HealthLevel, number> = { ok: 0, low: 0, critical: 0, silent: 0 };
    for (const t of this.byName.values()) counts[levelOf(t)]++;
    return counts;
  }

  /** Everything, as one frame: what a page that just connected needs. */
  snapshot(time: number): PositionFrame {
    return { time, firstNewId: 0, newNames: [...this.names], changed: this.encode(this.byName.values()), minutesClosed: [] };
  }

  /** What changed since the last call: one frame a second for every connected page. */
  nextFrame(time: number): PositionFrame {
    const frame: PositionFrame = {
      time, firstNewId: this.namesSent, newNames: this.names.slice(this.namesSent), changed: this.encode(this.dirty), minutesClosed: [...this.closedMinutes],
    };
    this.namesSent = this.names.length;
    this.dirty.clear();
    this.closedMinutes.clear();
    return frame;
  }

  private encode(unicorns: Iterable<Tracked>): number[] {
    const out: number[] = [];
    for (const t of unicorns) {
      out.push(t.id, round5(t.latitude), round5(t.longitude), Math.round(t.distance * 100) / 100, t.magicPoints, t.healthPoints, LEVEL_CODES[levelOf(t)], t.lastReadingTime);
    }
    return out;
  }

  private track(name: string, latitude: number, longitude: number, time: number): Tracked {
    let t = this.byName.get(name);
    if (t === undefined) {
      t = {
        id: this.names.length, name, latitude, longitude, distance: 0, magicPoints: 0, healthPoints: 0,
        levels: { MagicPoints: 'ok', HealthPoints: 'ok' }, silent: false, lastReadingTime: Number.isFinite(time) ? time : 0,
      };
      this.byName.set(name, t);
      this.names.push(name);
      this.dirty.add(t);
    }
    return t;
  }

  private toView(t: Tracked): UnicornView {
    return {
      name: t.name, latitude: t.latitude, longitude: t.longitude, distance: t.distance, magicPoints: t.magicPoints, healthPoints: t.healthPoints,
      level: levelOf(t), levels: { ...t.levels }, lastReadingTime: t.lastReadingTime,
    };
  }
}
