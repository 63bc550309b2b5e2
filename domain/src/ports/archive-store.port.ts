/** Writes and reads gzip NDJSON objects in the data bucket; writing a key again replaces it. */
export interface ArchiveStore {
  write(key: string, lines: readonly string[]): Promise<void>;
  read(key: string): Promise<string[]>;
  list(prefix: string): AsyncIterable<string>;
}
