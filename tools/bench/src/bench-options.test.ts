import { describe, expect, it } from 'vitest';
import { parseBenchCommandLine, type BenchOptions } from './bench-options';

function parse(...argv: string[]): BenchOptions {
  const parsed = parseBenchCommandLine(argv, { writeOut: () => undefined, writeErr: () => undefined });
  if (parsed.kind === 'exit') throw new Error(`exit ${parsed.code}`);
  return parsed.options;
}

const fleets = (options: BenchOptions): string[] => options.capacityPlans.map((p) => `${p.unicorns}${p.pack > 1 ? `×${p.pack}` : ''}`);

describe('parseBenchCommandLine', () => {
  it('runs the dashboard page with 10,000 unicorns, or --n of them', () => {
    expect(parse('dashboard')).toMatchObject({ section: 'dashboard', dashboardUnicorns: 10_000 });
    expect(parse('dashboard', '--n', '2500')).toMatchObject({ section: 'dashboard', dashboardUnicorns: 2_500 });
  });

  it('runs both modes on their default steps, 5 min each', () => {
    const options = parse('capacity');

    expect(fleets(options)).toEqual(['1000', '2500', '5000', '10000', '10000×25', '25000×25', '50000×25', '100000×25']);
    expect(options.capacityPlans[0]).toEqual({ unicorns: 1_000, pack: 1, durationMs: 300_000, drainTimeoutMs: 600_000, seed: 1, allowedLatenessMs: 60_000 });
    expect(options.writeDocs).toBe(true);
  });

  it.each([
    [['--n', '5000', '--pack', '25'], ['5000×25']],
    [['--n', '500'], ['500']],
    [['--pack', '25'], ['10000×25', '25000×25', '50000×25', '100000×25']],
    [['--pack', '1'], ['1000', '2500', '5000', '10000']],
    [['--steps', '100,200'], ['100', '200']],
  ])('narrows the runs with %j', (flags, expected) => {
    expect(fleets(parse('capacity', ...flags))).toEqual(expected);
  });

  it('makes --quick runs one minute with a three-minute drain deadline', () => {
    const [plan] = parse('capacity', '--quick', '--n', '500').capacityPlans;

    expect(plan).toMatchObject({ durationMs: 60_000, drainTimeoutMs: 180_000 });
  });

  it('takes durations, lateness and seed', () => {
    const [plan] = parse('capacity', '--n', '500', '--duration', '90s', '--allowed-lateness', '30s', '--drain-timeout', '1m', '--seed', '7').capacityPlans;

    expect(plan).toEqual({ unicorns: 500, pack: 1, durationMs: 90_000, drainTimeoutMs: 60_000, seed: 7, allowedLatenessMs: 30_000 });
  });

  it('plans the cost runs at 1,000 and 10,000 unicorns, unpacked and packed', () => {
    expect(parse('cost', '--no-docs').costPlans.map((p) => [p.unicorns, p.pack])).toEqual([[1_000, 1], [10_000, 1], [1_000, 25], [10_000, 25]]);
  });

  it('lets each cost fleet warm up before its units are metered, 2 min unless told (1 min quick)', () => {
    expect(parse('cost').costPlans.map((p) => [p.warmUpMs, p.durationMs])).toEqual(Array(4).fill([120_000, 300_000]));
    expect(parse('cost', '--quick').costPlans[0]).toMatchObject({ warmUpMs: 60_000, durationMs: 60_000 });
    expect(parse('cost', '--warm-up', '90s', '--duration', '3m').costPlans[0]).toMatchObject({ warmUpMs: 90_000, durationMs: 180_000 });
  });

  it('refuses a cost window that is not whole minutes', () => {
    const errors: string[] = [];

    expect(parseBenchCommandLine(['cost', '--duration', '90s'], { writeOut: () => undefined, writeErr: (s) => errors.push(s) })).toEqual({ kind: 'exit', code: 2 });
    expect(errors.join('')).toContain('cost meters whole minutes; --duration 90s is not one');
  });

  it.each([[[]], [['speed']], [['capacity', '--n', '2']], [['capacity', '--steps', '10,x']]])('exits 2 on %j', (argv) => {
    expect(parseBenchCommandLine(argv, { writeOut: () => undefined, writeErr: () => undefined })).toEqual({ kind: 'exit', code: 2 });
  });
});
