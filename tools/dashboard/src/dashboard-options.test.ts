import { describe, expect, it } from 'vitest';
import { DASHBOARD_CLI_DEFAULT_PORT, parseDashboardCommandLine } from './dashboard-options';

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { writeOut: (s: string) => void out.push(s), writeErr: (s: string) => void err.push(s) }, out, err };
};

describe('npm run dashboard options', () => {
  it('reads the local stack from the endpoints file, on its own port, with a plain grid', () => {
    expect(parseDashboardCommandLine(['--local'], capture().io, {})).toEqual({
      kind: 'run', options: { target: { kind: 'local', endpointsFile: undefined }, port: DASHBOARD_CLI_DEFAULT_PORT, tileUrl: undefined, healthPollMs: 5000 },
    });
    expect(parseDashboardCommandLine(['--endpoints-file', 'x.json', '--port', '0'], capture().io, {})).toMatchObject({ options: { target: { kind: 'local', endpointsFile: 'x.json' }, port: 0 } });
  });

  it('reads AWS with the alert queue from the flag or WILDRYDES_ALERT_QUEUE_URL, and the Athena names', () => {
    const queue = 'https://sqs.eu-west-1.amazonaws.com/123456789012/alerts';
    expect(parseDashboardCommandLine(['--aws', '--region', 'eu-west-1'], capture().io, { WILDRYDES_ALERT_QUEUE_URL: queue })).toMatchObject({
      options: { target: { kind: 'aws', region: 'eu-west-1', queueUrl: queue, workgroup: 'wildrydes', database: 'wildrydes', outputLocation: undefined } },
    });
    expect(parseDashboardCommandLine(['--aws', '--queue-url', 'q', '--health-poll', '30s'], capture().io, {})).toMatchObject({ options: { target: { queueUrl: 'q' }, healthPollMs: 30_000 } });
  });

  it('takes a tile URL template only with {z}, {x} and {y}', () => {
    expect(parseDashboardCommandLine(['--local', '--tile-url', 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'], capture().io, {}))
      .toMatchObject({ options: { tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' } });
    const { io, err } = capture();
    expect(parseDashboardCommandLine(['--local', '--tile-url', 'https://tiles.example/{z}.png'], io, {})).toEqual({ kind: 'exit', code: 2 });
    expect(err.join('')).toContain('{z}, {x} and {y}');
  });

  it.each([
    [[], 'say where to read: --local (the local stack) or --aws'],
    [['--local', '--aws'], "option '--local' cannot be used with option '--aws'"],
    [['--local', '--port', '-1'], 'expected a whole number'],
  ])('refuses %j with exit 2 and a reason', (argv, reason) => {
    const { io, err } = capture();
    expect(parseDashboardCommandLine(argv, io, {})).toEqual({ kind: 'exit', code: 2 });
    expect(err.join('')).toContain(reason);
  });

  it('explains the names and settings in --help', () => {
    const { io, out } = capture();
    expect(parseDashboardCommandLine(['--help'], io, {})).toEqual({ kind: 'exit', code: 0 });
    const help = out.join('');
    for (const name of ['UnicornHealth', 'UnicornSensorData', 'wildrydes-summary', '--queue-url', '/api/unicorns/{name}/minutes', '--tile-url']) expect(help).toContain(name);
  });
});
