import { ARCHIVE_TABLES, WORKSHOP_QUERIES } from '@wildrydes/domain';
import type { ArchiveCatalog, NamedQuerySpec } from './archive-catalog';

/** Example values the saved queries carry; edit them in the Athena console before running. */
export const EXAMPLE_AFTER = '2026-01-01 00:00:00.000';
export const EXAMPLE_UNICORN = 'Shadowfax';

const saved = (sql: string, query: { readonly name: string; readonly description: string }, example?: string): NamedQuerySpec => ({
  name: query.name,
  description: example === undefined ? query.description : `${query.description} (example: ${example}; edit before running)`,
  sql,
});

/** The archive's tables and the workshop's queries, from the domain: the same definitions DuckDB and the query CLI use. */
export const WORKSHOP_ARCHIVE_CATALOG: ArchiveCatalog = {
  tables: ARCHIVE_TABLES,
  queries: [
    saved(WORKSHOP_QUERIES['total-distance'].sql({}), WORKSHOP_QUERIES['total-distance']),
    saved(WORKSHOP_QUERIES.after.sql({ after: EXAMPLE_AFTER }), WORKSHOP_QUERIES.after, `after ${EXAMPLE_AFTER}`),
    saved(WORKSHOP_QUERIES.trip.sql({ name: EXAMPLE_UNICORN }), WORKSHOP_QUERIES.trip, `unicorn ${EXAMPLE_UNICORN}`),
    saved(WORKSHOP_QUERIES['low-vitals'].sql({}), WORKSHOP_QUERIES['low-vitals']),
  ],
};
