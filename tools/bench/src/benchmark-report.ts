import { GOAL_ALERT_P99_MS, SUMMARY_GRACE_MS } from './capacity-measures';
import { CAPACITY_HEADERS, capacityCells, capacitySummary, type CapacityMode, type CapacityRow } from './capacity-report';
import type { CostRow } from './cost-section';
import { markdownTable } from './text-table';

/** What the report says about the machine: nothing that names this machine's paths or users. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
}

interface SectionRun {
  /** ISO 8601 UTC. */
  readonly date: string;
  /** As typed, e.g. `npm run bench -- capacity --quick`. */
  readonly command: string;
  readonly machine: MachineInfo;
}

export interface CapacityResults extends SectionRun {
  readonly durationSeconds: number;
  readonly allowedLatenessSeconds: number;
  readonly rows: readonly CapacityRow[];
}

export interface CostRun {
  /** When and how this run was made, when it differs from its section's (runs of earlier commands are kept). */
  readonly measured?: { readonly date: string; readonly command: string };
  readonly unicorns: number;
  readonly pack: number;
  /** Readings and seconds the priced units were spent on: the metered window's (before 2026-12-03: the longer run's beyond the baseline's). */
  readonly readings: number;
  readonly seconds: number;
  /** The fleet's flight before the metered window opened. */
  readonly warmUp?: { readonly readings: number; readonly seconds: number };
  /** The share of the window's readings each stream service handled in it (below 1: it fell further behind; its units are scaled up). */
  readonly handled?: Readonly<Record<string, number>>;
  /** Ends of the aggregation's 15-minute tumbling windows inside the metered window (each costs a write per unicorn). */
  readonly windowEnds?: { readonly metered: number };
  /** Each DynamoDB table's counters in the metered window (WRU, RRU, items written, failed conditions…). */
  readonly tables?: { readonly metered: Readonly<Record<string, Readonly<Record<string, number>>>> };
  readonly rows: readonly CostRow[];
}

export interface CostResults extends SectionRun {
  /** Why no figures, when the meter was not available. */
  readonly unavailable?: string;
  readonly runs: readonly CostRun[];
}

export interface DomainResults extends SectionRun {
  readonly exitCode: number;
  readonly output: string;
}

/** The latest run of each section (of each capacity mode); docs/benchmarks.json keeps it so one can be rerun alone. */
export interface BenchmarkResults {
  readonly capacity?: Partial<Record<CapacityMode, CapacityResults>>;
  readonly cost?: CostResults;
  readonly domain?: DomainResults;
}

export const CHART_FILE = 'benchmarks-capacity.svg';

export const describeMachine = (m: MachineInfo): string => `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB memory, Node ${m.node}, ${m.os}`;

const runLine = (run: SectionRun): string => `Run ${run.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} with \`${run.command}\` on ${describeMachine(run.machine)}.`;

export function costCells(run: CostRun): string[][] {
  const mode = run.pack > 1 ? `packed ×${run.pack}` : 'unpacked';
  return run.rows.map((row) => [mode, run.unicorns.toLocaleString('en-US'), row.metric, row.value.toFixed(row.value < 10 ? 3 : 1), row.unit]);
}

export const COST_HEADERS = ['mode', 'N', 'metric', 'value', 'unit'] as const;

/** Every capacity row, unpacked first, each mode by fleet size. */
export function capacityRows(capacity: BenchmarkResults['capacity']): CapacityRow[] {
  return [capacity?.unpacked, capacity?.packed].flatMap((run) => [...(run?.rows ?? [])].sort((a, b) => a.unicorns - b.unicorns));
}

function capacitySection(capacity: NonNullable<BenchmarkResults['capacity']>): string[] {
  const runs = (['unpacked', 'packed'] as const).flatMap((mode) => (capacity[mode] === undefined ? [] : [[mode, capacity[mode]] as const]));
  const rows = capacityRows(capacity);
  const [, first] = runs[0] ?? [];
  return [
    '## Capacity (goal 1)',
    '',
    ...runs.map(([mode, run]) => `- ${mode === 'packed' ? 'Packed' : 'Unpacked'} rows: ${runLine(run)} The producer ran ${run.durationSeconds} s per row.`),
    '',
    'Each row: the real `npm start -- --unicorns 0` in a fresh data directory, an alert subscriber on the local bus, then the real ' +
      'producer with `--fleet N --rate 1 --duration D --scenario decline=Bucephalus` (plus `--pack K` when packed). ' +
      'After the producer ends the bench waits until every stream service has handled every record, then measures.',
    '',
    '- **sent/s**: the producer\'s own total; **processed/s**: readings the slowest service handled, from the producer\'s start until it caught up.',
    '- **max lag**: the highest iterator age (how far behind the stream) of health, aggregation and archival, sampled from `status.json` every second.',
    `- **alert p50/p99**: subscriber receipt − the alert's \`readingTime\` (UTC), over the declining unicorn's VitalLow and VitalCritical; ` +
      '**p99 from send** counts from when the reading was sent instead: the simulated fleet time-stamps each unicorn\'s readings ' +
      'a fixed 0–999 ms after the tick that sends them, and a packed reading waits in its pack for up to K−1 s (the producer ' +
      'staggers the fleet\'s packs: each unicorn\'s first pack holds 1 to K readings, fixed by its name).',
    '- **false alerts**: any other alert while the fleet was sending (a UnicornSilent about a unicorn\'s very last reading is the fleet stopping, not false), except a vital alert about another unicorn that the archive bears out — its reading has the alert\'s value, past the threshold: every unicorn\'s points walk at random, and over 5 minutes one of thousands may cross 100; such alerts are counted beside ("borne out by the readings").',
    '- **lost**: readings sent (and refused) − distinct (name, StatusTime) readings in the archive (DuckDB over the raw archive).',
    '- **minutes stored/expected**: items in `UnicornSensorData` against the (unicorn, minute) pairs the readings span.',
    `- **summaries late**: closed unicorn-minutes whose summary reached \`wildrydes-summary\` more than ${SUMMARY_GRACE_MS / 1000} s + ` +
      `${first?.allowedLatenessSeconds ?? 60} s allowed lateness after the minute's end (stream arrival time), or never.`,
    `- **goal 1** passes when lost = 0, false alerts = 0, alert p99 ≤ ${GOAL_ALERT_P99_MS / 1000} s, both expected alerts arrived and no minute is late.`,
    '',
    markdownTable(CAPACITY_HEADERS, rows.map(capacityCells)),
    '',
    ...capacitySummary(rows).map((line) => `- ${line}`),
    '',
    `![Alert p99 and highest lag against N](${CHART_FILE})`,
    '',
  ];
}

/**
 * The cost runs of a new section, with the earlier section's runs of other fleets and modes kept (each with the run
 * line it was measured under), so `cost --n 10000 --pack 25` does not drop the 1,000-unicorn rows.
 */
export function mergeCostRuns(previous: CostResults | undefined, next: CostResults): CostResults {
  const key = (run: CostRun): string => `${run.unicorns}/${run.pack}`;
  const fresh = new Set(next.runs.map(key));
  // Runs priced the way before 2026-12-03 (a longer run less a baseline run, no warm-up) are not kept beside new ones.
  const kept = (previous?.runs ?? []).filter((run) => !fresh.has(key(run)) && run.warmUp !== undefined)
    .map((run) => ({ ...run, measured: run.measured ?? { date: previous?.date ?? '', command: previous?.command ?? '' } }));
  const runs = [...kept, ...next.runs].sort((a, b) => a.pack - b.pack || a.unicorns - b.unicorns);
  return { ...next, runs };
}

/** A tumbling window's end inside the metered window is in its units: say so, it is not every 5 minutes. */
function windowEndsNote(run: CostRun): string {
  const ends = run.windowEnds?.metered ?? 0;
  if (ends === 0) return '';
  // One write more per unicorn at each end: per 1,000 readings, 1,000 ÷ the seconds of the window.
  return `; the window holds ${ends} end(s) of the 15-minute tumbling windows, each one write more per unicorn ` +
    `(${(1000 / run.seconds * ends).toFixed(1)} WRU per 1,000 readings here, 1.1 averaged over 15 minutes)`;
}

/** Below 99.5 %, how much of the window's readings each stream service handled in it (its units are priced per reading handled). */
function handledNote(run: CostRun): string {
  const behind = Object.entries(run.handled ?? {}).filter(([, share]) => share < 0.995);
  if (behind.length === 0) return '';
  return `; handled in the window: ${behind.map(([service, share]) => `${service} ${(share * 100).toFixed(1)} %`).join(', ')} of the readings sent (priced per reading handled)`;
}

function costSection(c: CostResults): string[] {
  const lines = ['## Cost', '', runLine(c), ''];
  if (c.unavailable !== undefined) return [...lines, `Not measured: ${c.unavailable}`, ''];
  const earlier = c.runs.filter((run) => run.measured !== undefined && run.measured.date !== c.date);
  if (earlier.length > 0) {
    lines.push(...earlier.map((run) => `- ${run.pack > 1 ? `packed ×${run.pack}` : 'unpacked'}, N = ${run.unicorns.toLocaleString('en-US')}: ${runLine({ ...c, ...run.measured! })}`), '');
  }
  return [
    ...lines,
    'Units the billing meter counted (from the `meter` field of `status.json`), per 1,000 readings sent, and dollars per million readings. ' +
      'Each fleet flies on a fresh stack, batched as deployed (`--deployed-windows`); after a warm-up (every new unicorn\'s first state and lookups, ' +
      'the first partial minutes) the meter is read twice, a whole number of minutes apart, and the rows price the units between the two readings ' +
      'over the readings sent between them: the steady state, without a fleet\'s start or its stop. Each stream service is priced per reading it ' +
      'handled in the window (its units scaled to the readings sent): 20-s batches and 25-s packs fall unevenly across the window\'s ends, and a ' +
      'service that falls behind handles fewer. The last row of each fleet prices everything from the stack\'s start to the window\'s close, start-up included.',
    '',
    ...c.runs.filter((run) => run.warmUp !== undefined).map((run) =>
      `- ${run.pack > 1 ? `packed ×${run.pack}` : 'unpacked'}, N = ${run.unicorns.toLocaleString('en-US')}: ${Math.round(run.readings).toLocaleString('en-US')} readings in the ${Math.round(run.seconds)}-s window, ` +
      `after ${Math.round(run.warmUp!.seconds)} s of warm-up${windowEndsNote(run)}${handledNote(run)}.`),
    '',
    markdownTable(COST_HEADERS, c.runs.flatMap(costCells)),
    '',
  ];
}

function domainSection(d: DomainResults): string[] {
  return [
    '## Domain',
    '',
    runLine(d),
    '',
    `The domain, handler and stand-in benchmarks (\`npm run bench:domain\`, \`bench:handlers\`, \`bench:stand-ins\`) as printed${d.exitCode === 0 ? '' : ` (one exited with code ${d.exitCode})`}:`,
    '',
    '```text',
    d.output.trimEnd(),
    '```',
    '',
  ];
}

/** docs/benchmarks.md: stands alone (no paths of the machine it ran on). */
export function renderBenchmarksMarkdown(results: BenchmarkResults): string {
  const runs = [results.capacity?.unpacked, results.capacity?.packed, results.cost, results.domain].filter((run): run is NonNullable<typeof run> => run !== undefined);
  const latest = runs.map((run) => run.date).sort().at(-1);
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (tools/bench): the whole local stack, the real producer, consumer-side measurements. ' +
      'Figures depend on the machine and on what else ran on it; they are measured, never asserted by tests.',
    '',
    latest === undefined ? 'No section has been run yet.' : `Last updated ${latest.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}.`,
    '',
    ...(results.capacity ? capacitySection(results.capacity) : []),
    ...(results.cost ? costSection(results.cost) : []),
    ...(results.domain ? domainSection(results.domain) : []),
  ].join('\n');
}
