import type { ImportReport } from '../import/import-report';

/**
 * Keeps the report of a file import as a JSON object in the data bucket; saving a key again replaces it.
 * The report is also the import's durable marker and progress (which version of the object, how many chunks were
 * sent), so it must read back what was last saved (S3 is strongly consistent for this).
 */
export interface ImportReportStore {
  save(key: string, report: ImportReport): Promise<void>;
  /** The report last saved at the key; undefined when there is none. */
  load(key: string): Promise<ImportReport | undefined>;
}
