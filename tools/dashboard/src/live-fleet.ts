import type { HealthReader, UnicornAlert } from '@wildrydes/domain';
import { FleetView, type HealthLevel, type PositionFrame } from './fleet-view';
import type { LiveSources, StopLiveSource } from './live-sources.port';

/** The figures `npm start` prints, as the fleet line shows them. */
export interface FleetLine {
  readonly time: number;
  readonly unicorns: number;
  readonly levels: Record<HealthLevel, number>;
  /** Readings arriving on the stream, averaged over the last few seconds. */
  readonly readingsPerSecond: number;
  /** Minute summaries emitted since the dashboard started. */
  readonly minutesEmitted: number;
  /** Records quarantined, when the source can tell (the local stack); null otherwise. */
  readonly quarantinedRecords: number | null;
  readonly alerts: number;
}

export type LiveEvent =
  | { readonly type: 'frame'; readonly frame: PositionFrame; readonly fleet: FleetLine }
  | { readonly type: 'alert'; readonly alert: UnicornAlert };

export interface LiveFleetOptions {
  readonly sources: LiveSources;
  readonly health: HealthReader;
  readonly clock?: () => number;
  /** Frames are pushed at most this often. Default 1000 ms. */
  readonly frameIntervalMs?: number;
  /** How often the health table is read. Default 5000 ms. */
  readonly healthPollMs?: number;
  /** Alerts kept for pages that connect later. Default 500. */
  readonly keptAlerts?: number;
  readonly quarantinedRecords?: () => number;
  readonly onError?: (what: string, error: unknown) => void;
}

/**
 * The fleet kept live: starts the sources, reads the health table on a timer, and every second turns what changed
 * into one frame for every listener (the pages' live streams). A failing source is reported and the rest go on.
 */
export class LiveFleet {
  readonly view = new FleetView();
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly recentAlerts: UnicornAlert[] = [];
  private readonly seenAlertIds = new Set<string>();
  private readonly stops: StopLiveSource[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly clock: () => number;
  private readonly rateWindow: { time: number; readings: number }[] = [];
  private minutesEmitted = 0;
  private alertCount = 0;
  private healthRead: Promise<void> | undefined;

  constructor(private readonly options: LiveFleetOptions) {
    this.clock = options.clock ?? Date.now;
  }

  async start(): Promise<void> {
    const onError = (what: string) => (error: unknown) => (this.options.onError ?? (() => undefined))(what, error);
    const { sources } = this.options;
    this.stops.push(await sources.readings.start((readings) => this.view.applyReadings(readings), onError('telemetry stream')));
    this.stops.push(await sources.alerts.start((alerts) => alerts.forEach((a) => this.receiveAlert(a)), onError('alert subscription')));
    this.stops.push(await sources.minutesClosed.start((names) => {
      this.minutesEmitted += names.length;
      names.forEach((name) => this.view.minuteClosed(name));
    }, onError('summary stream')));
    await this.readHealth().catch(onError('health table'));
    this.timers.push(setInterval(() => void this.readHealth().catch(onError('health table')), this.options.healthPollMs ?? 5000));
    this.timers.push(setInterval(() => this.publishFrame(), this.options.frameIntervalMs ?? 1000));
  }

  async stop(): Promise<void> {
    this.timers.splice(0).forEach(clearInterval);
    await Promise.all(this.stops.splice(0).map((stop) => stop()));
    await this.healthRead;
    this.listeners.clear();
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  alerts(): readonly UnicornAlert[] {
    return this.recentAlerts;
  }

  fleetLine(): FleetLine {
    const now = this.clock();
    const oldest = this.rateWindow[0];
    const seconds = oldest === undefined ? 0 : (now - oldest.time) / 1000;
    return {
      time: now, unicorns: this.view.size, levels: this.view.counts(),
      readingsPerSecond: oldest === undefined || seconds <= 0 ? 0 : Math.round((this.view.readingsApplied - oldest.readings) / seconds),
      minutesEmitted: this.minutesEmitted, quarantinedRecords: this.options.quarantinedRecords?.() ?? null, alerts: this.alertCount,
    };
  }

  /** Reads the health table now (also on the timer). */
  readHealth(): Promise<void> {
    this.healthRead ??= this.options.health.readAll().then((views) => this.view.applyHealth(views)).finally(() => (this.healthRead = undefined));
    return this.healthRead;
  }

  /** Builds and sends the frame now (also on the timer). */
  publishFrame(): void {
    const now = this.clock();
    this.rateWindow.push({ time: now, readings: this.view.readingsApplied });
    while (this.rateWindow.length > 6) this.rateWindow.shift();
    const event: LiveEvent = { type: 'frame', frame: this.view.nextFrame(now), fleet: this.fleetLine() };
    for (const listener of this.listeners) listener(event);
  }

  private receiveAlert(alert: UnicornAlert): void {
    // Delivery is at least once (SQS, bus retries): the alert id says it is the same alert.
    if (this.seenAlertIds.has(alert.alertId)) return;
    this.seenAlertIds.add(alert.alertId);
    this.alertCount++;
    this.view.applyAlert(alert);
    this.recentAlerts.push(alert);
    const keep = this.options.keptAlerts ?? 500;
    while (this.recentAlerts.length > keep) this.seenAlertIds.delete(this.recentAlerts.shift()!.alertId);
    for (const listener of this.listeners) listener({ type: 'alert', alert });
  }
}
