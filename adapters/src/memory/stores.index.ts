export { InMemorySummaryStore } from './in-memory-summary-store';
export { InMemoryHealthStore } from './in-memory-health-store';
