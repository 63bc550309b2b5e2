import { describe, expect, it } from 'vitest';
import { parseConsumerCommandLine } from './consumer-options';

const io = { writeOut: () => undefined, writeErr: () => undefined };
const optionsOf = (argv: string[]) => {
  const parsed = parseConsumerCommandLine(argv, io);
  if (parsed.kind !== 'run') throw new Error(`exit ${parsed.code}`);
  return parsed.options;
};

describe('consumer --stage', () => {
  it('reads the stage’s streams and bus on AWS', () => {
    expect(optionsOf(['--stage', 'dev'])).toMatchObject({ stream: 'wildrydes-dev', bus: 'wildrydes-dev' });
    expect(optionsOf(['--stage', 'dev', '-stream', 'wildrydes-summary']).stream).toBe('wildrydes-summary-dev');
    expect(optionsOf([])).toMatchObject({ stream: 'wildrydes', bus: 'wildrydes' });
  });

  it('is refused with the local stack', () => {
    expect(parseConsumerCommandLine(['--stage', 'dev', '--local'], io)).toEqual({ kind: 'exit', code: 2 });
  });
});
