import type { ImportReport } from '@wildrydes/domain';
import type { ImportReportStore } from '@wildrydes/domain';

export class InMemoryImportReportStore implements ImportReportStore {
  private readonly reports = new Map<string, ImportReport>();

  async save(key: string, report: ImportReport): Promise<void> {
    this.reports.set(key, structuredClone(report));
  }

  async load(key: string): Promise<ImportReport | undefined> {
    const report = this.reports.get(key);
    return report === undefined ? undefined : structuredClone(report);
  }

  get(key: string): ImportReport | undefined {
    return this.reports.get(key);
  }

  keys(): string[] {
    return [...this.reports.keys()];
  }
}
