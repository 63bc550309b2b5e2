import { describe, expect, it } from 'vitest';
import { parseLocalCommandLine, parseStartCommandLine } from './local-options';

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { writeOut: (s: string) => out.push(s), writeErr: (s: string) => err.push(s) }, out, err };
};

describe('npm start options', () => {
  it('defaults to ten unicorns, a seed from the clock, no duration, in memory, the dashboard on 4573', () => {
    expect(parseStartCommandLine([], capture().io, 2 ** 31 + 5)).toEqual({ kind: 'run', options: { unicorns: 10, seed: 5, durationMs: undefined, dataDir: undefined, shards: 2, dashboardPort: 4573, watch: false, deployedWindows: false } });
  });

  it('moves the dashboard to another port (0 = any free one) or turns it off', () => {
    expect(parseStartCommandLine(['--dashboard-port', '0'], capture().io, 0)).toMatchObject({ options: { dashboardPort: 0 } });
    expect(parseStartCommandLine(['--no-dashboard'], capture().io, 0)).toMatchObject({ options: { dashboardPort: undefined } });
    expect(parseStartCommandLine(['--dashboard-port', 'x'], capture().io, 0)).toEqual({ kind: 'exit', code: 2 });
  });

  it('reads every flag, Go-style single dashes too', () => {
    expect(parseStartCommandLine(['--unicorns', '0', '-seed', '7', '--duration', '90s', '--data-dir', 'd', '--shards', '8', '--watch', '--deployed-windows'], capture().io, 0))
      .toEqual({ kind: 'run', options: { unicorns: 0, seed: 7, durationMs: 90_000, dataDir: 'd', shards: 8, dashboardPort: 4573, watch: true, deployedWindows: true } });
  });

  it.each([
    [['--bogus'], /start: unknown option '--bogus'/],
    [['--unicorns', 'many'], /start: option '--unicorns <n>' argument 'many' is invalid. expected a whole number ≥ 0/],
    [['--duration', 'soon'], /expected a duration such as 90s/],
  ])('refuses %j with exit 2 and a hint', (argv, message) => {
    // Prepare
    const { io, err } = capture();

    // Act
    const parsed = parseStartCommandLine(argv, io, 0);

    // Assess
    expect(parsed).toEqual({ kind: 'exit', code: 2 });
    expect(err.join('')).toMatch(message);
    expect(err.join('')).toMatch(/run start --help for usage/);
  });

  it('prints help with exit 0', () => {
    const { io, out } = capture();
    expect(parseStartCommandLine(['--help'], io, 0)).toEqual({ kind: 'exit', code: 0 });
    expect(out.join('')).toMatch(/--unicorns <n>[\s\S]*--data-dir <dir>[\s\S]*npx wildrydes-producer --local/);
    // Sent as the file is: -d would send a form and strip the newlines that separate NDJSON lines.
    expect(out.join('')).toContain("-H 'Content-Type: application/x-ndjson' --data-binary @examples/readings.ndjson");
  });
});

describe('npm run local options', () => {
  it('reads the data dir and the port base', () => {
    expect(parseLocalCommandLine(['--data-dir', 'x', '--port-base', '5000'], capture().io)).toEqual({ kind: 'run', options: { dataDir: 'x', portBase: 5000 } });
  });

  it('refuses an unknown flag with exit 2 instead of a raw Node error', () => {
    const { io, err } = capture();
    expect(parseLocalCommandLine(['--bogus'], io)).toEqual({ kind: 'exit', code: 2 });
    expect(err.join('')).toMatch(/local: unknown option '--bogus'/);
  });
});
