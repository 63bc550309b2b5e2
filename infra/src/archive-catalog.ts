import type { ArchiveTable } from '@wildrydes/domain';

/** A saved Athena query: SQL text ready to run (parameters already filled in with example values). */
export interface NamedQuerySpec {
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

/** What the stateful stack needs of the archive: its tables (from the domain) and the workshop's saved queries. */
export interface ArchiveCatalog {
  readonly tables: readonly ArchiveTable[];
  readonly queries: readonly NamedQuerySpec[];
}
