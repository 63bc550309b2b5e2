import type { ImportReport } from '../import/import-report';

/** Keeps the report of a file import as a JSON object in the data bucket; saving a key again replaces it. */
export interface ImportReportStore {
  save(key: string, report: ImportReport): Promise<void>;
}
