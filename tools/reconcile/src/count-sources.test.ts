import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '@wildrydes/adapters/query';
import {
  decodeRecord, FleetSimulation, parseStatusTime, partialsFromReadings, quarantineObject, toMinuteSummary, type Reading, type UnicornAlert, type WorkshopReadingRecord,
} from '@wildrydes/domain';
import {
  InMemoryArchiveStore, InMemoryStreamHistory, InMemorySummaryLedger, InMemorySummaryStore, writeLocalArchive, fleetAlerts, type LocalArchive,
} from '@wildrydes/test-kit';
import { gatherCounts, sourceOf, wholeMinutes, type CountSources } from './count-sources';
import { reconcile } from './reconciliation';

const START = Date.UTC(2026, 11, 2, 10, 0);
const encoder = new TextEncoder();
const toRecord = (r: Reading): WorkshopReadingRecord => ({
  Name: r.name, StatusTime: new Date(r.time).toISOString().replace('T', ' ').replace('Z', ''), Latitude: r.latitude, Longitude: r.longitude,
  Distance: r.distance, MagicPoints: r.magicPoints, HealthPoints: r.healthPoints,
});

interface Pipeline {
  readonly sources: CountSources;
  readonly archive: LocalArchive;
  readonly summaries: InMemorySummaryStore;
  readonly quarantine: InMemoryArchiveStore;
}

/**
 * What the services would leave behind for a seeded fleet with poison and duplicates, built with the domain's own
 * functions into the fakes: every reading archived as it arrived, each distinct reading summarised once, every
 * closed minute emitted, every refused record quarantined. `skip` leaves one kind of effect out.
 */
async function pipeline(skip: { emitLast?: boolean; quarantineOne?: boolean; extraArchivedCopy?: boolean } = {}): Promise<Pipeline> {
  const sim = new FleetSimulation({ seed: 7, unicorns: 3, startTime: START, scenarios: { poisonEvery: 20, duplicateEvery: 11 } });
  const telemetry = new InMemoryStreamHistory({ clock: () => START + 200_000 });
  telemetry.append(Array.from({ length: 150 }, () => sim.tick()).flat().map((r) => ({ partitionKey: r.partitionKey, data: encoder.encode(r.data) })));

  const arrived: Reading[] = [];
  const quarantine = new InMemoryArchiveStore();
  let quarantined = 0;
  for await (const record of telemetry.readRetained()) {
    const decoded = decodeRecord(record.data, { now: record.arrivedAt });
    arrived.push(...decoded.readings);
    if (decoded.rejections.length === 0 || (skip.quarantineOne === true && quarantined++ === 0)) continue;
    const { key, lines } = quarantineObject({ sourcePosition: record.position, receivedAt: record.arrivedAt, rejections: decoded.rejections });
    await quarantine.write(key, lines.map((line) => JSON.stringify(line)));
  }
  const archivedReadings = skip.extraArchivedCopy === true ? [...arrived, arrived[0]!] : arrived;
  const alerts: UnicornAlert[] = fleetAlerts(archivedReadings.slice(0, 80).map(toRecord));
  const archive = await writeLocalArchive('plain', archivedReadings.map(toRecord), alerts);

  const summaries = new InMemorySummaryStore();
  const partials = [...partialsFromReadings(arrived).values()];
  await summaries.merge(partials);
  const summaryStream = new InMemoryStreamHistory({ shards: 1 });
  const latest = new Map<string, number>();
  for (const p of partials) latest.set(p.name, Math.max(latest.get(p.name) ?? 0, p.windowStart));
  const emitted = partials.filter((p) => skip.emitLast === true || p.windowStart !== latest.get(p.name));
  summaryStream.append(emitted.map((p) => ({ partitionKey: p.name, data: encoder.encode(JSON.stringify(toMinuteSummary(p)) + '\n') })));

  return {
    archive, summaries, quarantine,
    sources: {
      telemetry, summaryStream, summaries: new InMemorySummaryLedger(summaries), bucket: quarantine,
      archive: new DuckDbQueryEngine({ bucketDir: archive.bucketDir, layout: 'plain' }),
      publishedAlerts: alerts.map((a) => ({ alertId: a.alertId, readingTime: parseStatusTime(a.readingTime) })),
    },
  };
}

describe('gatherCounts', () => {
  const opened: Pipeline[] = [];
  afterEach(async () => {
    for (const p of opened.splice(0)) {
      await (p.sources.archive as DuckDbQueryEngine).close();
      await p.archive.remove();
    }
  });
  const build = async (skip?: Parameters<typeof pipeline>[0]): Promise<Pipeline> => {
    const p = await pipeline(skip);
    opened.push(p);
    return p;
  };
  const RANGE = { from: START, to: START + 10 * 60_000 };

  it('counts a clean run, which reconciles', async () => {
    // Prepare
    const { sources } = await build();

    // Act
    const counts = await gatherCounts(sources, RANGE);

    // Assess
    const report = reconcile(counts);
    expect(report.failures).toEqual([]);
    expect(counts.received.readings).toBeGreaterThan(counts.received.distinctReadings);
    expect(counts.received.rejectedRecords).toBeGreaterThan(0);
    expect(counts.archived).toEqual({ rows: counts.received.readings, distinctReadings: counts.received.distinctReadings });
    expect(counts.summarised.readings).toBe(counts.received.distinctReadings);
    expect(counts.emitted.minutes).toBe(counts.summarised.minutes - 3);
    expect(counts.alerts.published).toEqual({ ids: counts.alerts.archivedIds, notArchived: 0, notPublished: 0 });
  });

  it.each([
    [{ quarantineOne: true }, ['stream records quarantined', 'stream lines quarantined']],
    [{ extraArchivedCopy: true }, ['duplicates archived']],
  ] as const)('finds what a faulty run left out or doubled: %j', async (skip, failures) => {
    // Prepare
    const { sources } = await build(skip);

    // Act
    const report = reconcile(await gatherCounts(sources, RANGE));

    // Assess
    expect(report.failures).toEqual(failures);
  });

  it('keeps to the range: readings and minutes by their own time', async () => {
    // Prepare
    const { sources } = await build();

    // Act: the first minute only
    const counts = await gatherCounts(sources, { from: START, to: START + 60_000 });

    // Assess
    expect(counts.summarised.minutes).toBe(3);
    expect(counts.received.distinctReadings).toBe(counts.summarised.readings);
    expect(reconcile(counts).ok).toBe(true);
  });
});

describe('wholeMinutes and sourceOf', () => {
  it('widens a range to whole minutes', () => {
    expect(wholeMinutes({ from: START + 1, to: START + 60_001 })).toEqual({ from: START, to: START + 120_000 });
  });

  it.each([
    ['shardId-000000000001:49650000000000000000000000000000000000000000000000000002', 'stream'],
    ['http:local-1733133600000-1', 'http'],
    ['unicorn-alert:7f2c', 'alert'],
    ['s3://wildrydes-data/uploads/fleet.ndjson#part-2', 'upload'],
  ])('tells where %s came from', (position, source) => {
    expect(sourceOf(position)).toBe(source);
  });
});
