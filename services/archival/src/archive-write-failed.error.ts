/**
 * Some archive or quarantine writes of a batch failed. The handler lets it escape, so the event source mapping
 * retries (or bisects) the whole batch; every key is deterministic, so the retry overwrites what did get written.
 */
export class ArchiveWriteFailedError extends Error {
  readonly code = 'ARCHIVE_WRITE_FAILED';
  constructor(
    /** Archive keys whose write failed (not every key left unwritten: later writes are not started after a failure). */
    readonly failedKeys: readonly string[],
    /** Whether the quarantine's keep() failed. */
    readonly quarantineFailed: boolean,
    options?: { cause?: unknown },
  ) {
    const parts = [
      ...(failedKeys.length > 0 ? [`${failedKeys.length} archive object(s) not written (first: ${failedKeys[0]})`] : []),
      ...(quarantineFailed ? ['rejected records not quarantined'] : []),
    ];
    super(`archive batch failed: ${parts.join('; ')}`, options);
    this.name = 'ArchiveWriteFailedError';
  }
}
