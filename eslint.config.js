import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Module boundaries: each project's tags (package.json "nx.tags") say which projects it may import.
 * The domain rules below are the purity check: no AWS, no I/O, no clock, no randomness.
 */
const forbiddenInDomain = [
  '@aws-sdk/*', 'aws-lambda', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', '@aws-lambda-powertools/*', 'inversify', 'reflect-metadata',
  'node:fs', 'node:fs/*', 'fs', 'fs/*', 'node:net', 'net', 'node:http', 'http', 'node:https', 'https', 'node:http2', 'http2',
  'node:child_process', 'child_process', 'node:dgram', 'dgram', 'node:dns', 'dns', 'node:os', 'os', 'node:worker_threads',
  'worker_threads', 'node:process', 'process', 'node:readline', 'readline', 'node:tls', 'tls', 'node:cluster', 'cluster',
  'node:crypto', 'crypto', 'node:perf_hooks', 'perf_hooks', 'node:timers', 'timers', 'node:timers/*',
];

/** Files that only tests run: they may use the test kit; nothing deployed or shipped may. */
const testOnlyFiles = ['**/*.test.ts', '**/*.test-support.ts', '**/*.fake.ts', '**/*.fixture.ts', '**/*.mother.ts', '**/*.bench.ts', '**/bench/**/*.ts'];

/** Which projects each kind of project may import, in what ships. Tests may add the test kit (`type:testing`). */
const shipped = [
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: forbiddenInDomain },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:lambda-kit', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter', 'type:lambda-kit'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:local-runtime', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter', 'type:service', 'type:lambda-kit', 'type:local-runtime', 'type:tool'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter', 'type:service', 'type:lambda-kit', 'type:local-runtime', 'type:tool', 'type:testing'] },
];
const withTestKit = shipped.map((rule) => rule.sourceTag === 'type:e2e' ? rule
  : { ...rule, onlyDependOnLibsWithTags: [...rule.onlyDependOnLibsWithTags, 'type:testing'] });
const boundaries = (depConstraints) => ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }];

export default [
  { ignores: ['**/node_modules/**', '**/cdk.out/**', '**/test-results/**', '**/coverage/**', '**/.nx/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': boundaries(shipped),
    },
  },
  {
    files: testOnlyFiles,
    rules: { '@nx/enforce-module-boundaries': boundaries(withTestKit) },
  },
  {
    // Handlers and use cases stay on the service side of the ports: only the composition root (and a Lambda
    // entry) knows adapters and the AWS SDK.
    files: ['services/*/src/**/*.ts'],
    ignores: ['services/*/src/composition-root.ts', 'services/*/src/*.lambda.ts', ...testOnlyFiles],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@wildrydes/adapters', '@wildrydes/adapters/*', '@aws-sdk/*'], message: 'Only the composition root binds adapters; handlers and use cases speak to ports.' }],
      }],
    },
  },
  {
    // The domain never reads the clock or randomness: time, ids and seeds are arguments.
    files: ['domain/src/**/*.ts', 'domain/bench/**/*.ts'],
    ignores: ['domain/bench/**'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'The domain takes time as an argument.' },
        { object: 'Math', property: 'random', message: 'The domain takes a seed as an argument.' },
        { object: 'performance', property: 'now', message: 'The domain takes time as an argument.' },
        { object: 'crypto', property: 'randomUUID', message: 'The domain takes ids as arguments.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the clock; pass the time in.' },
        { selector: "CallExpression[callee.name='Date'][arguments.length=0]", message: 'Date() reads the clock; pass the time in.' },
      ],
      'no-restricted-imports': ['error', {
        patterns: [{ group: forbiddenInDomain, message: 'The domain is pure: no AWS, no I/O, no DI container.' }],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'The domain reads no environment.' },
        { name: 'fetch', message: 'The domain does no I/O.' },
        { name: 'setTimeout', message: 'The domain has no timers.' },
        { name: 'setInterval', message: 'The domain has no timers.' },
        { name: 'require', message: 'The domain loads nothing at run time.' },
      ],
    },
  },
];
