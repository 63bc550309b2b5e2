import { describe, expect, it } from 'vitest';
import { formatReport, reconcile, type ReconciliationCounts } from './reconciliation';

/** Counts of a run that reconciles: 100 readings (4 sent twice), 3 refused records, every minute emitted but the open ones. */
const balanced = (): ReconciliationCounts => ({
  range: { from: Date.UTC(2026, 11, 2, 10), to: Date.UTC(2026, 11, 2, 11) },
  received: { records: 107, readings: 104, distinctReadings: 100, rejectedRecords: 3, rejectedLines: 4, distinctInClosedMinutes: 90, openMinutes: 2, distinctInOpenMinutes: 10 },
  archived: { rows: 104, distinctReadings: 100 },
  quarantined: { recordsBySource: { stream: 3, http: 1 }, linesByReason: { INVALID_JSON: 3, MISSING_FIELD: 2 }, streamLines: 4 },
  summarised: { minutes: 10, readings: 100, closedMinuteReadings: 90, importedMinutes: 0 },
  emitted: { minutes: 8, notInTable: 0, stale: 0, pendingNotLatest: 0 },
  alerts: { archivedObjects: 2, archivedIds: 2, published: { ids: 2, notArchived: 0, notPublished: 0 } },
});

type Change = (counts: ReconciliationCounts) => ReconciliationCounts;

describe('reconcile', () => {
  it('reconciles counts that balance, and says so', () => {
    // Act
    const report = reconcile(balanced());

    // Assess
    expect(report).toMatchObject({ ok: true, failures: [] });
    expect(report.lines.find((line) => line.label === 'duplicates archived')).toEqual({ label: 'duplicates archived', value: 4, expected: 4, ok: true });
    expect(report.lines.find((line) => line.label === 'http records quarantined')).toEqual({ label: 'http records quarantined', value: 1 });
  });

  it.each<[string, Change, string[]]>([
    ['a reading lost before the archive', (c) => ({ ...c, archived: { rows: 103, distinctReadings: 99 } }), ['distinct readings archived']],
    ['a redelivery archived twice', (c) => ({ ...c, archived: { rows: 105, distinctReadings: 100 } }), ['duplicates archived']],
    ['a reading counted twice in a summary', (c) => ({ ...c, summarised: { ...c.summarised, readings: 101, closedMinuteReadings: 91 } }), ['readings in closed minutes in UnicornSensorData']],
    ['a closed minute missing from the table', (c) => ({ ...c, summarised: { ...c.summarised, minutes: 9, readings: 90, closedMinuteReadings: 80 } }), ['readings in closed minutes in UnicornSensorData']],
    ['a refused record not quarantined', (c) => ({ ...c, quarantined: { ...c.quarantined, recordsBySource: { stream: 2, http: 1 }, streamLines: 3 } }),
      ['stream records quarantined', 'stream lines quarantined']],
    ['a closed minute never emitted', (c) => ({ ...c, emitted: { ...c.emitted, pendingNotLatest: 1 } }), ['closed minutes not emitted']],
    ['an emitted minute the table lost', (c) => ({ ...c, emitted: { ...c.emitted, notInTable: 1 } }), ['emitted minutes missing from the table']],
    ['a minute emitted with an old count', (c) => ({ ...c, emitted: { ...c.emitted, stale: 2 } }), ['emitted minutes with a stale count']],
    ['an alert published but not archived', (c) => ({ ...c, alerts: { archivedObjects: 1, archivedIds: 1, published: { ids: 2, notArchived: 1, notPublished: 0 } } }),
      ['alerts published', 'alerts published, not archived']],
    ['an alert archived twice', (c) => ({ ...c, alerts: { ...c.alerts, archivedObjects: 3 } }), ['alerts archived more than once']],
  ])('names what does not reconcile: %s', (_, change, failures) => {
    // Act
    const report = reconcile(change(balanced()));

    // Assess
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual(failures);
  });

  it('does not check alerts published when no subscriber record was given', () => {
    // Act
    const report = reconcile({ ...balanced(), alerts: { archivedObjects: 2, archivedIds: 2, published: undefined } });

    // Assess
    expect(report.ok).toBe(true);
    expect(report.lines.find((line) => line.label === 'alerts published')).toEqual({ label: 'alerts published', value: 'not known (give --published-alerts)' });
  });

  it('formats one line per count, marking checked lines and naming what a failing line expected', () => {
    // Prepare
    const counts = { ...balanced(), archived: { rows: 103, distinctReadings: 99 } };

    // Act
    const text = formatReport(reconcile(counts), counts.range);

    // Assess
    expect(text).toContain('range 2026-12-02T10:00:00.000Z .. 2026-12-02T11:00:00.000Z');
    expect(text).toMatch(/^!! distinct readings archived +99 +expected 100$/m);
    expect(text).toMatch(/^ok readings in closed minutes in UnicornSensorData +90$/m);
    expect(text).toMatch(/^ {3}quarantined lines INVALID_JSON +3$/m);
    expect(text).toContain('NOT reconciled: distinct readings archived');
  });
});
