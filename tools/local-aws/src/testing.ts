/** Helpers for tests that run against the local stand-ins (tests only). */
export * from './runtime/local-runtime.test-support';
