export * from './health.config';
export * from './track-health.use-case';
export * from './detect-silence.use-case';
export * from './track-health.handler';
export * from './detect-silence.handler';
export * from './composition-root';
