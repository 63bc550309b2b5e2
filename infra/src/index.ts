export * from './archive-catalog';
export * from './stateful-stack';
export * from './stateful-stack-context';
export { WORKSHOP_ARCHIVE_CATALOG } from './workshop-catalog';
