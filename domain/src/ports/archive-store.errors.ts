export class ArchiveObjectNotFoundError extends Error {
  readonly code = 'ARCHIVE_OBJECT_NOT_FOUND';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`no archive object at ${key}`, options);
    this.name = 'ArchiveObjectNotFoundError';
  }
}

/** NDJSON cannot hold a line with a line break in it: it would come back as two lines. */
export class ArchiveLineBreakError extends Error {
  readonly code = 'ARCHIVE_LINE_HAS_LINE_BREAK';
  constructor(
    readonly key: string,
    readonly lineIndex: number,
  ) {
    super(`line ${lineIndex} for ${key} contains a line break; NDJSON lines must not`);
    this.name = 'ArchiveLineBreakError';
  }
}

/** Refuses lines that would not survive the round trip (shared by the S3 adapter and the in-memory fake). */
export function assertNdjsonLines(key: string, lines: readonly string[]): void {
  const index = lines.findIndex((line) => line.includes('\n'));
  if (index >= 0) throw new ArchiveLineBreakError(key, index);
}
