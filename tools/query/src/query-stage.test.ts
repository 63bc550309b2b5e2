import { describe, expect, it } from 'vitest';
import { parseQueryCommandLine } from './query-options';

const io = { writeOut: () => undefined, writeErr: () => undefined };

describe('query --stage', () => {
  it('queries the stage’s Athena workgroup and Glue database', () => {
    const parsed = parseQueryCommandLine(['--stage', 'dev', '--named', 'total-distance'], io);
    expect(parsed).toMatchObject({ kind: 'run', options: { engine: { kind: 'athena', workgroup: 'wildrydes-dev', database: 'wildrydes_dev' } } });
    expect(parseQueryCommandLine(['--named', 'total-distance'], io)).toMatchObject({ options: { engine: { workgroup: 'wildrydes', database: 'wildrydes' } } });
  });

  it('is refused with DuckDB over the local stack or a copied archive', () => {
    expect(parseQueryCommandLine(['--stage', 'dev', '--local', 'SELECT 1'], io)).toEqual({ kind: 'exit', code: 2 });
    expect(parseQueryCommandLine(['--stage', 'dev', '--archive-dir', '/tmp/x', 'SELECT 1'], io)).toEqual({ kind: 'exit', code: 2 });
  });
});
