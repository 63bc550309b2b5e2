import { describe, expect, it } from 'vitest';
import { ArchiveLineBreakError, ArchiveObjectNotFoundError, assertNdjsonLines } from './archive-store.errors';

describe('archive store errors', () => {
  it('accepts lines without line breaks', () => {
    expect(() => assertNdjsonLines('raw/x.gz', ['{"a":1}', ''])).not.toThrow();
  });

  it('refuses a line with a line break, naming the object and the line', () => {
    // Act
    const attempt = () => assertNdjsonLines('raw/x.gz', ['ok', 'two\nlines']);

    // Assess
    expect(attempt).toThrow(ArchiveLineBreakError);
    expect(attempt).toThrow('line 1 for raw/x.gz contains a line break');
  });

  it('carries stable codes', () => {
    expect(new ArchiveLineBreakError('k', 0).code).toBe('ARCHIVE_LINE_HAS_LINE_BREAK');
    expect(new ArchiveObjectNotFoundError('k')).toMatchObject({ code: 'ARCHIVE_OBJECT_NOT_FOUND', message: 'no archive object at k' });
  });
});
