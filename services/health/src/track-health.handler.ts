import { kinesisBatchHandler, type HandlerTools } from '@wildrydes/lambda-kit';
import { recordAlertsByKind } from './alerts-by-kind.metric';
import type { TrackHealth } from './track-health.use-case';

/**
 * The Kinesis handler: apply the shard's batch, report the records of unicorns that could not be applied.
 * Rejected records are only counted here; the archival service quarantines them (one owner, so a poison record is
 * stored once, not four times).
 */
export function createTrackHealthHandler(deps: HandlerTools & { readonly trackHealth: TrackHealth }) {
  return kinesisBatchHandler(deps, async ({ readings, shardId }) => {
    const arrivals = new Map<string, number>();
    // Each record's stretch of reading time per unicorn (a packed record holds many readings of one unicorn).
    const stretches = new Map<string, { name: string; arrivedAt: number; first: number; last: number }>();
    for (const { reading, arrivedAt, sequenceNumber } of readings) {
      arrivals.set(reading.name, Math.max(arrivedAt, arrivals.get(reading.name) ?? -Infinity));
      const key = `${sequenceNumber}\u0000${reading.name}`;
      const stretch = stretches.get(key);
      if (stretch === undefined) stretches.set(key, { name: reading.name, arrivedAt, first: reading.time, last: reading.time });
      else {
        stretch.first = Math.min(stretch.first, reading.time);
        stretch.last = Math.max(stretch.last, reading.time);
      }
    }
    const heardUntil = new Map<string, number>();
    for (const { name, arrivedAt, first, last } of stretches.values()) {
      heardUntil.set(name, Math.max(arrivedAt + (last - first), heardUntil.get(name) ?? -Infinity));
    }
    const result = await deps.trackHealth.execute({ shardId, readings: readings.map((r) => r.reading), now: deps.clock(), arrivals, heardUntil });
    const failed = new Set(result.failedUnicorns);
    recordAlertsByKind(deps.metrics, result.alerts);
    if (failed.size > 0) deps.logger.warn('unicorns not applied; their records will be redelivered', { unicorns: [...failed] });
    return {
      counts: { ReadingsApplied: readings.length, AlertsPublished: result.alerts.length, HealthWrites: result.written, LastSeenSaves: result.lastSeenSaved },
      failedSequenceNumbers: readings.filter((r) => failed.has(r.reading.name)).map((r) => r.sequenceNumber),
    };
  });
}
