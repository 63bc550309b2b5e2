export * from './go-style-flags';
export * from './duration';
export * from './aws-target';
export * from './fatal-error';
export * from './cli-process.test-support';
export * from './local-stack.test-support';
export * from './cli-runtime';
export * from './usage-error';
