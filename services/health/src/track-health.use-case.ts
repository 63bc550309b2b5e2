import {
  applyReadings, detectSilence, healthyState, isHealthy, type AlertPublisher, type HealthChange, type HealthPolicy, type HealthStore,
  type Reading, type ShardLastSeen, type StoredHealth, type UnicornAlert, type UnstoredHealth,
} from '@wildrydes/domain';

export interface TrackHealthOptions {
  readonly policy: HealthPolicy;
  /** How often a shard's last-seen record is saved, in ms of its readings' time (and at least as often by the clock). */
  readonly lastSeenSaveIntervalMs: number;
  /** After this long without a save (wall clock), the silence scan may have judged the shard: its cached states are re-read. */
  readonly idleShardAfterMs: number;
  /** Re-reads and re-applies after a lost conditional write, this many times at most. */
  readonly maxConflictRetries: number;
  /**
   * How many new unicorns' first states a batch writes, at most, besides its transitions. A unicorn healthy since
   * its first reading needs no item at once: its shard's record carries it until then. Default 25.
   */
  readonly firstStateWritesPerBatch?: number;
  /**
   * How many unicorns without an item a shard's record carries at most (~17 bytes each, gzipped, beside ~4 for every
   * unicorn's last-seen time): past it, a new unicorn's first state is written at once, so the record stays far below
   * DynamoDB's 400 KB item limit and its saves cheap. Default 2,000.
   */
  readonly maxUnstoredPerShard?: number;
}

export interface TrackHealthBatch {
  readonly shardId: string;
  readonly readings: readonly Reading[];
  /** Wall-clock time of the invocation (epoch ms); only stamps the last-seen record. */
  readonly now: number;
  /**
   * When each unicorn's newest record of the batch reached the stream (Kinesis' approximate arrival, epoch ms).
   * Silence is judged by arrivals: a packed record brings 25 s of a unicorn at once, so by reading times a unicorn
   * would look 25 s quieter than it is. Without it, reading times stand in.
   */
  readonly arrivals?: ReadonlyMap<string, number>;
  /**
   * Until when the stream has heard from each unicorn: its newest record's arrival plus the stretch of reading time
   * that record covered (24 s for a pack of 25 readings a second apart, 0 unpacked). A pack speaks for its whole
   * stretch, so the next one is not due before that stretch has passed again: silence is counted from here. A
   * producer that falls behind spaces its packs further apart than their stretch, and counting from the arrival
   * alone raised false `UnicornSilent` alerts when the local stack ran 20,000 packed unicorns. Default: `arrivals`.
   */
  readonly heardUntil?: ReadonlyMap<string, number>;
}

export interface TrackHealthResult {
  readonly alerts: readonly UnicornAlert[];
  /** Unicorn states written (transitions, and new unicorns' first states). */
  readonly written: number;
  /** Last-seen records saved (0 or 1). */
  readonly lastSeenSaved: number;
  /** Unicorns whose readings could not be applied; their records must be redelivered. */
  readonly failedUnicorns: readonly string[];
}

/** What this instance knows of one shard: every unicorn's last reading, and its own clock. */
interface ShardView {
  watermark: number;
  lastSeen: Map<string, number>;
  /** The shard's clock for silence: its newest arrival, and each unicorn's last (this instance's memory only). */
  arrivalWatermark: number;
  lastArrival: Map<string, number>;
  version: number | undefined;
  savedWatermark: number;
  savedAt: number;
  /**
   * The last save was made more than a save interval behind the stream (its newest arrival applied was that old).
   * Until a save shows it caught up, every batch saves: the silence scan then knows that records which arrived
   * after the saved arrival were not applied yet (see DetectSilence).
   */
  savedBehind: boolean;
  /**
   * The shard's unicorns with no stored state (healthy since their first reading), oldest first: where each was
   * at its last reading. Saved in the record; each batch writes a few of them (`firstStateWritesPerBatch`).
   */
  unstored: Map<string, UnstoredHealth>;
}

/** The version a cached state has while its unicorn has no item: the first write is conditional on there being none. */
const NO_ITEM = 0;

/**
 * Applies a shard's batch to its unicorns' health, publishing one `unicorn-alert` per transition, and judges the
 * shard's quiet unicorns silent against the shard's own clock (its newest reading), so a lagging service never
 * calls a reporting unicorn silent.
 *
 * Reads and writes are what make this cheap (docs/adr/0009-health-state-per-shard.md):
 * - unicorn states are read once per instance (a read-through cache validated by `Version`: a stale entry costs
 *   one lost conditional write and a re-read, never a wrong result);
 * - a unicorn's state is written only on a transition; "last seen" goes into its shard's record, saved every
 *   `lastSeenSaveIntervalMs`;
 * - a new unicorn healthy from its first reading is not written at once: when a fleet starts, thousands arrive in
 *   the same seconds, and writing each one's state would hold up the alerts behind them. Its shard's record carries
 *   its position and points meanwhile, and each batch writes a few such first states (`firstStateWritesPerBatch`);
 * - the cache and the shard's view are updated only after a batch succeeded, so a failed batch is re-applied
 *   from the same starting point when it is redelivered.
 * Alerts are published before their state is written: if the write then fails, redelivery publishes them again
 * with the same ids (subscribers drop duplicates by id); the other order could lose an alert for good.
 */
export class TrackHealth {
  private readonly states = new Map<string, StoredHealth>();
  private readonly shards = new Map<string, ShardView>();

  constructor(
    private readonly store: HealthStore,
    private readonly alerts: AlertPublisher,
    private readonly options: TrackHealthOptions,
  ) {}

  async execute(batch: TrackHealthBatch): Promise<TrackHealthResult> {
    const view = await this.shardView(batch.shardId, batch.now);
    const byUnicorn = groupByUnicorn(batch.readings);
    const lastSeen = new Map(view.lastSeen);
    let watermark = view.watermark;
    for (const reading of batch.readings) {
      if (reading.time > (lastSeen.get(reading.name) ?? -Infinity)) lastSeen.set(reading.name, reading.time);
      if (reading.time > watermark) watermark = reading.time;
    }
    const lastArrival = new Map(view.lastArrival);
    let arrivalWatermark = view.arrivalWatermark;
    for (const name of byUnicorn.keys()) {
      const arrived = batch.arrivals?.get(name) ?? lastSeen.get(name)!;
      // The shard's clock advances by real arrivals only; a unicorn is quiet from where its last record's stretch ends.
      const heardUntil = Math.max(arrived, batch.heardUntil?.get(name) ?? arrived);
      if (heardUntil > (lastArrival.get(name) ?? -Infinity)) lastArrival.set(name, heardUntil);
      if (arrived > arrivalWatermark) arrivalWatermark = arrived;
    }
    // Unicorns known only from the shard's record (a takeover) count as heard now: judged 30 s from here.
    for (const name of lastSeen.keys()) if (!lastArrival.has(name)) lastArrival.set(name, arrivalWatermark);

    const published = new Map<string, UnicornAlert>();
    const failed = new Set<string>();
    /** States this batch cached of unicorns without an item, or that had none before it: carried to the view. */
    const touched = new Map<string, StoredHealth>();
    let written = 0;
    /** Room left in the record for unicorns whose first state waits. */
    let unstoredRoom = (this.options.maxUnstoredPerShard ?? 2_000) - view.unstored.size;
    let pending = [...new Set([...byUnicorn.keys(), ...this.quietUnicorns(lastArrival, arrivalWatermark)])];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > this.options.maxConflictRetries) {
        pending.forEach((name) => failed.add(name));
        break;
      }
      await this.loadMissing(pending);
      const changes: HealthChange[] = [];
      const alerts: UnicornAlert[] = [];
      const next = new Map<string, StoredHealth>();
      for (const name of pending) {
        const stored = this.states.get(name) ?? fromRecord(view, name);
        const hasItem = stored !== undefined && stored.version !== NO_ITEM;
        let update = applyReadings(stored?.state, byUnicorn.get(name) ?? [], this.options.policy);
        if (update.state !== undefined && !update.state.silent) {
          const lastTime = Math.max(update.state.lastReadingTime, lastSeen.get(name) ?? -Infinity);
          // Judged by how long the stream has not heard from it; the alert carries its last reading's time.
          const quietFor = arrivalWatermark - (lastArrival.get(name) ?? arrivalWatermark);
          const silence = detectSilence({ ...update.state, lastReadingTime: lastTime }, lastTime + quietFor, this.options.policy);
          if (silence.levelsChanged) update = { ...silence, alerts: [...update.alerts, ...silence.alerts] };
          else if (update.levelsChanged === false && !update.advanced) continue;
        }
        if (update.state === undefined) continue;
        next.set(name, { state: update.state, version: stored?.version ?? NO_ITEM });
        alerts.push(...update.alerts.filter((a) => !published.has(a.alertId)));
        // A unicorn without an item that stays healthy waits for its turn among the first states below, room permitting.
        const waits = !hasItem && update.alerts.length === 0 && isHealthy(update.state) && (view.unstored.has(name) || unstoredRoom-- > 0);
        if (update.levelsChanged && !waits) changes.push({ state: update.state, expectedVersion: hasItem ? stored.version : undefined });
      }
      if (attempt === 0) changes.push(...this.firstStatesDue(view, next, changes));
      const withAlerts = new Set(alerts.map((a) => a.name));
      try {
        await this.alerts.publish(alerts);
      } catch (error) {
        // Nothing is written or remembered for unicorns whose alerts did not go out, so redelivery raises them again.
        withAlerts.forEach((name) => failed.add(name));
        if (withAlerts.size === pending.length) throw error;
      }
      const writable = changes.filter((c) => !failed.has(c.state.name));
      for (const alert of alerts) if (!failed.has(alert.name)) published.set(alert.alertId, alert);
      const { conflicts } = await this.store.applyTransitions(writable);
      const lost = new Set(conflicts);
      for (const change of writable) {
        if (!lost.has(change.state.name)) next.set(change.state.name, { state: change.state, version: (change.expectedVersion ?? 0) + 1 });
      }
      written += writable.length - conflicts.length;
      // States not written keep the stored version: the next conditional write checks against it.
      for (const [name, stored] of next) {
        if (failed.has(name) || lost.has(name)) continue;
        this.states.set(name, stored);
        if (stored.version === NO_ITEM || view.unstored.has(name) || touched.has(name)) touched.set(name, stored);
      }
      // A lost race means the cached state was stale: re-read it and apply the same readings again.
      conflicts.forEach((name) => this.states.delete(name));
      pending = [...conflicts];
    }

    for (const name of failed) {
      const previous = view.lastSeen.get(name);
      if (previous === undefined) lastSeen.delete(name);
      else lastSeen.set(name, previous);
    }
    for (const [name, stored] of touched) {
      if (failed.has(name)) continue;
      if (stored.version === NO_ITEM) view.unstored.set(name, stored.state);
      else view.unstored.delete(name);
    }
    view.lastArrival = lastArrival;
    view.arrivalWatermark = arrivalWatermark;
    const lastSeenSaved = await this.commitShardView(batch, view, lastSeen, watermark);
    return { alerts: [...published.values()], written, lastSeenSaved, failedUnicorns: [...failed] };
  }

  /** Unicorns of the shard that may have gone silent by its clock and are not known to be silent already. */
  private quietUnicorns(lastArrival: ReadonlyMap<string, number>, watermark: number): string[] {
    const quiet: string[] = [];
    for (const [name, time] of lastArrival) {
      if (watermark - time > this.options.policy.silenceAfterMs && this.states.get(name)?.state.silent !== true) quiet.push(name);
    }
    return quiet;
  }

  /**
   * The oldest first states still unwritten, up to the batch's allowance: written over no item, so a unicorn that
   * got one meanwhile (the silence scan) is a conflict, re-read and re-applied like any other.
   */
  private firstStatesDue(view: ShardView, next: ReadonlyMap<string, StoredHealth>, changes: readonly HealthChange[]): HealthChange[] {
    const allowance = this.options.firstStateWritesPerBatch ?? 25;
    if (allowance === 0 || view.unstored.size === 0) return [];
    const changing = new Set(changes.map((c) => c.state.name));
    const due: HealthChange[] = [];
    for (const name of view.unstored.keys()) {
      if (due.length >= allowance) break;
      const known = next.get(name) ?? this.states.get(name) ?? fromRecord(view, name);
      if (known === undefined || known.version !== NO_ITEM || changing.has(name)) continue;
      due.push({ state: known.state, expectedVersion: undefined });
    }
    return due;
  }

  private async loadMissing(names: readonly string[]): Promise<void> {
    const missing = names.filter((name) => !this.states.has(name));
    if (missing.length === 0) return;
    for (const [name, stored] of await this.store.load(missing)) this.states.set(name, stored);
  }

  private async shardView(shardId: string, now: number): Promise<ShardView> {
    const known = this.shards.get(shardId);
    if (known !== undefined && now - known.savedAt <= this.options.idleShardAfterMs) return known;
    // An idle shard may have been judged by the silence scan, which writes its unicorns' states: forget them.
    if (known !== undefined) for (const name of known.lastSeen.keys()) this.states.delete(name);
    const stored = await this.store.loadShard(shardId);
    const view: ShardView = {
      watermark: stored?.watermark ?? -Infinity,
      lastSeen: new Map(stored?.lastSeen ?? []),
      arrivalWatermark: -Infinity,
      lastArrival: new Map(),
      version: stored?.version,
      savedWatermark: stored?.watermark ?? -Infinity,
      savedAt: stored?.savedAt ?? -Infinity,
      savedBehind: stored !== undefined && savedBehindStream(stored, this.options.lastSeenSaveIntervalMs),
      unstored: new Map(stored?.unstored ?? []),
    };
    this.shards.set(shardId, view);
    return view;
  }

  /**
   * Remembers the batch's last-seen times and saves the shard's record when it is due. A lost save means another
   * instance took the shard over: this one forgets its view and reloads it (and the unicorns' states) next time.
   */
  private async commitShardView(batch: TrackHealthBatch, view: ShardView, lastSeen: Map<string, number>, watermark: number): Promise<number> {
    view.lastSeen = lastSeen;
    view.watermark = watermark;
    const interval = this.options.lastSeenSaveIntervalMs;
    const due = watermark - view.savedWatermark >= interval || batch.now - view.savedAt >= interval || view.savedBehind;
    if (!due || lastSeen.size === 0) return 0;
    const record: ShardLastSeen = {
      shardId: batch.shardId, watermark, savedAt: batch.now, lastSeen,
      ...(Number.isFinite(view.arrivalWatermark) ? { arrivedUntil: view.arrivalWatermark } : {}),
      ...(view.unstored.size > 0 ? { unstored: view.unstored } : {}),
    };
    const outcome = await this.store.saveShard(record, view.version);
    if (outcome === 'conflict') {
      this.shards.delete(batch.shardId);
      for (const name of lastSeen.keys()) this.states.delete(name);
      return 0;
    }
    view.version = (view.version ?? 0) + 1;
    view.savedWatermark = watermark;
    view.savedAt = batch.now;
    view.savedBehind = savedBehindStream(record, interval);
    return 1;
  }
}

/**
 * A unicorn the shard's record carries without an item (healthy since its first reading), not cached here yet: its
 * state as of the record. Only asked after the store was: an item, if there is one now, was loaded first.
 */
function fromRecord(view: ShardView, name: string): StoredHealth | undefined {
  const at = view.unstored.get(name);
  const time = view.lastSeen.get(name);
  return at === undefined || time === undefined ? undefined : { state: healthyState(name, time, at), version: NO_ITEM };
}

function groupByUnicorn(readings: readonly Reading[]): Map<string, Reading[]> {
  const byUnicorn = new Map<string, Reading[]>();
  for (const reading of readings) {
    const list = byUnicorn.get(reading.name);
    if (list === undefined) byUnicorn.set(reading.name, [reading]);
    else list.push(reading);
  }
  return byUnicorn;
}

/** Whether a shard's record was saved more than `interval` after the newest arrival it had applied. */
export function savedBehindStream(record: { readonly savedAt: number; readonly arrivedUntil?: number | undefined }, interval: number): boolean {
  return record.arrivedUntil !== undefined && record.savedAt - record.arrivedUntil > interval;
}
