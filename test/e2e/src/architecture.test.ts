import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { productionGraph, reachable, workspaceProjects } from './production-graph';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const DEPLOYED_TAGS = ['type:domain', 'type:adapter', 'type:lambda-kit', 'type:service', 'type:infra'];
const NEVER_DEPLOYED_TAGS = ['type:local-runtime', 'type:testing', 'type:tool', 'type:e2e'];

describe('architecture: what ships depends only on what may ship', () => {
  const projects = workspaceProjects(repoRoot);
  const graph = productionGraph(repoRoot);
  const tagOf = new Map(projects.map((p) => [p.name, p.tags[0]]));
  const deployed = projects.filter((p) => p.tags.some((t) => DEPLOYED_TAGS.includes(t)));

  it('finds every deployed project', () => {
    expect(deployed.map((p) => p.name).sort()).toEqual(
      ['adapters', 'aggregation', 'archival', 'domain', 'health', 'infra', 'ingestion', 'lambda-kit'].sort());
  });

  it.each(deployed.map((p) => [p.name]))('%s reaches no local runtime, test kit or tool', (name) => {
    const offending = [...reachable(graph, name)].filter(([target]) => NEVER_DEPLOYED_TAGS.includes(tagOf.get(target) ?? ''));
    expect(offending).toEqual([]);
  });
});

describe('architecture: the lint rules still bite', () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const lintAs = async (path: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(repoRoot, path) });
    return result!.messages.map((m) => m.message).join('\n');
  };

  it.each([
    ['a handler binding an adapter', 'services/health/src/probe.handler.ts', "import { DynamoDbHealthStore } from '@wildrydes/adapters/dynamodb'; export const x = DynamoDbHealthStore;", /composition root/],
    ['a use case calling the AWS SDK', 'services/archival/src/probe.use-case.ts', "import { S3Client } from '@aws-sdk/client-s3'; export const x = S3Client;", /composition root/],
    ['a service using the test kit in shipped code', 'services/health/src/probe.ts', "import { InMemoryHealthStore } from '@wildrydes/test-kit'; export const x = InMemoryHealthStore;", /can only depend on|Circular/],
    ['a service using the local runtime', 'services/health/src/composition-root.ts', "import { startLocalRuntime } from '@wildrydes/local-aws'; export const x = startLocalRuntime;", /can only depend on|Circular/],
    ['an adapter using the local runtime', 'adapters/src/s3/probe.ts', "import { startLocalRuntime } from '@wildrydes/local-aws'; export const x = startLocalRuntime;", /can only depend on|Circular/],
    ['the test kit reaching into an adapter', 'test/kit/src/fakes/probe.ts', "import { S3Quarantine } from '@wildrydes/adapters/s3'; export const x = S3Quarantine;", /can only depend on|Circular/],
    ['infra using the test kit', 'infra/src/probe.ts', "import { InMemoryHealthStore } from '@wildrydes/test-kit'; export const x = InMemoryHealthStore;", /can only depend on|Circular/],
  ])('refuses %s', async (_what, path, code, message) => {
    expect(await lintAs(path, code)).toMatch(message);
  });

  it.each([
    ['a composition root binding an adapter', 'services/health/src/composition-root.ts', "import { DynamoDbHealthStore } from '@wildrydes/adapters/dynamodb'; export const x = DynamoDbHealthStore;"],
    ['a service test using the test kit', 'services/health/src/probe.test.ts', "import { InMemoryHealthStore } from '@wildrydes/test-kit'; export const x = InMemoryHealthStore;"],
  ])('accepts %s', async (_what, path, code) => {
    expect(await lintAs(path, code)).toBe('');
  });
});
