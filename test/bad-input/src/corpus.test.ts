import { describe, expect, it } from 'vitest';
import { REJECTION_CODES } from '@wildrydes/domain';
import { corpusBodies, corpusFiles, corpusRecords } from './corpus';

describe('the bad-input corpus', () => {
  it('holds at least 60 kinds of malformed record, body and file, each with a known reason', () => {
    const kinds = [...corpusRecords(), ...corpusBodies(), ...corpusFiles()].map((entry) => entry.kind);
    expect(kinds.length).toBeGreaterThanOrEqual(60);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const record of corpusRecords()) expect(REJECTION_CODES).toContain(record.code);
  });

  it('covers every reason a reading can be refused for, except the record size Kinesis itself caps', () => {
    const covered = new Set<string>([...corpusRecords().map((r) => r.code), ...corpusBodies().flatMap((b) => (b.code === undefined ? [] : [b.code])), ...corpusFiles().map((f) => f.code)]);
    expect(REJECTION_CODES.filter((code) => !covered.has(code))).toEqual(['RECORD_TOO_LARGE']);
  });
});
