/**
 * Domain benchmark (a script, not a test: this machine is noisy, so figures are printed, never asserted).
 *
 *   npm run bench:domain            # full run (1,000,000 readings; memory at 100,000 unicorns; 2 simulated hours)
 *   npm run bench:domain -- --quick # a smaller run for a smoke check
 *
 * Throughput is reported as a ratio to bare `JSON.parse` of the same bytes measured in the same run
 * (goal ≥ 0.5: the whole domain costs at most twice a bare parse).
 */
import {
  DEFAULT_HEALTH_POLICY, FleetSimulation, WindowAccumulator, applyReadings, decodeRecord, floorToMinute, toMinuteSummary,
  type Reading, type UnicornHealthState,
} from '../src/index';

const quick = process.argv.includes('--quick');
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc (npm run bench:domain does)');
const START = Date.UTC(2026, 10, 22, 10, 0, 0);
const NOW = START + 10 * 3_600_000;
const encoder = new TextEncoder();
const DECODE_OPTIONS = { now: NOW };
const utf8 = new TextDecoder();

/** Records as views into one buffer, as a decoded Lambda event's are: one allocation, not a million. */
function records(unicorns: number, seconds: number): Uint8Array[] {
  const sim = new FleetSimulation({ seed: 1, unicorns, startTime: START });
  const texts: string[] = [];
  for (let s = 0; s < seconds; s++) for (const r of sim.tick()) texts.push(r.data);
  const all = encoder.encode(texts.join(''));
  const out: Uint8Array[] = [];
  let offset = 0;
  for (const t of texts) {
    const length = encoder.encode(t).byteLength;
    out.push(all.subarray(offset, offset + length));
    offset += length;
  }
  return out;
}

/**
 * A long-running processor (the local dashboard's view of the fleet): each unicorn's health and its open
 * minutes. Minutes close on a watermark one minute behind the newest reading and are summarised and released.
 */
class FleetTracker {
  readonly health = new Map<string, UnicornHealthState>();
  readonly windows = new WindowAccumulator();
  private watermark = 0;
  closedWindows = 0;
  alerts = 0;

  /** One Kinesis-like batch: decode every record, fold readings into minutes and health. */
  processBatch(batch: readonly Uint8Array[]): void {
    const decoded = { readings: [] as Reading[], rejections: [] };
    for (const data of batch) decodeRecord(data, DECODE_OPTIONS, decoded);
    const { readings } = decoded;
    let newest = this.watermark;
    const byName = new Map<string, Reading[]>();
    for (const r of readings) {
      this.windows.add(r);
      if (r.time > newest) newest = r.time;
      const list = byName.get(r.name);
      if (list === undefined) byName.set(r.name, [r]);
      else list.push(r);
    }
    for (const [name, rs] of byName) {
      const update = applyReadings(this.health.get(name), rs, DEFAULT_HEALTH_POLICY);
      if (update.state !== undefined) this.health.set(update.state.name, update.state);
      this.alerts += update.alerts.length;
    }
    if (floorToMinute(newest) > floorToMinute(this.watermark)) {
      this.watermark = newest;
      for (const closed of this.windows.drainClosed(floorToMinute(newest) - 60_000)) {
        toMinuteSummary(closed);
        this.closedWindows++;
      }
    }
  }
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const BATCH = 1_000;

// 1. Throughput: 1,000,000 readings from 1,000 unicorns, in batches of 1,000 records.
{
  const unicorns = 1_000, seconds = quick ? 100 : 1_000;
  const data = records(unicorns, seconds);
  const bytes = data.reduce((s, d) => s + d.byteLength, 0);
  const parseRuns: number[] = [], domainRuns: number[] = [];
  let sink = 0;
  for (let run = 0; run < 3; run++) {
    gc();
    parseRuns.push(time(() => { for (const d of data) sink += (JSON.parse(utf8.decode(d)) as { MagicPoints: number }).MagicPoints; }));
    gc();
    const tracker = new FleetTracker();
    domainRuns.push(time(() => { for (let i = 0; i < data.length; i += BATCH) tracker.processBatch(data.slice(i, i + BATCH)); }));
    sink += tracker.closedWindows;
  }
  const parseRate = data.length / (median(parseRuns) / 1000);
  const domainRate = data.length / (median(domainRuns) / 1000);
  console.log(`throughput: ${data.length.toLocaleString('en')} readings (${(bytes / 1e6).toFixed(1)} MB) from ${unicorns} unicorns, batches of ${BATCH}, median of 3`);
  console.log(`  bare utf8 decode + JSON.parse:   ${Math.round(parseRate).toLocaleString('en')} readings/s`);
  console.log(`  decode + window + health:        ${Math.round(domainRate).toLocaleString('en')} readings/s`);
  console.log(`  ratio to bare parse:             ${(domainRate / parseRate).toFixed(2)} (goal ≥ 0.50)`);
  if (sink === -1) console.log('');
}

// 2. State per tracked unicorn at 100,000 unicorns: heap after a forced GC, less the heap before, with the
//    input bytes alive in both measurements so that only the state is counted.
{
  const unicorns = quick ? 10_000 : 100_000;
  const sim = new FleetSimulation({ seed: 2, unicorns, startTime: START });
  const tracker = new FleetTracker();
  const feed = (tick: Uint8Array[]) => { for (let i = 0; i < tick.length; i += BATCH) tracker.processBatch(tick.slice(i, i + BATCH)); };
  const encodeTick = () => sim.tick().map((r) => encoder.encode(r.data));
  const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
  const first = encodeTick();
  const before = heap();
  feed(first);
  const afterOne = heap();
  tracker.windows.drainAll();
  const healthOnly = heap();
  const seconds = 30;
  for (let s = 1; s < seconds; s++) feed(encodeTick());
  const afterMany = heap();
  console.log(`state per tracked unicorn at ${unicorns.toLocaleString('en')} unicorns:`);
  console.log(`  health state (what is kept per unicorn):       ${((healthOnly - before) / unicorns).toFixed(0)} B (goal ≤ 200)`);
  console.log(`  plus an open minute holding 1 reading:         ${((afterOne - before) / unicorns).toFixed(0)} B`);
  console.log(`  plus an open minute holding ${seconds - 1} readings:        ${((afterMany - before) / unicorns).toFixed(0)} B`);
  if (first.length !== unicorns || tracker.health.size !== unicorns) throw new Error('tracker lost unicorns');
}

// 3. Memory stays flat over two simulated hours: closed minutes are released.
{
  const unicorns = 1_000, hours = quick ? 0.25 : 2;
  const sim = new FleetSimulation({ seed: 3, unicorns, startTime: START });
  const tracker = new FleetTracker();
  const samples: string[] = [];
  const total = hours * 3600;
  for (let s = 1; s <= total; s++) {
    const t = sim.tick().map((r) => encoder.encode(r.data));
    tracker.processBatch(t);
    if (s % (total / 4) === 0) {
      gc();
      samples.push(`${(s / 60).toFixed(0)} min: ${(process.memoryUsage().heapUsed / 1e6).toFixed(1)} MB`);
    }
  }
  console.log(`memory over ${hours} simulated hour(s), ${unicorns} unicorns, ${tracker.closedWindows.toLocaleString('en')} minutes closed and released:`);
  console.log(`  heap used at ${samples.join(' | ')}`);
}
