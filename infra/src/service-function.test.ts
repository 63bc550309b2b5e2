import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { WildRydesHealthStack } from './health-stack';
import { REPO_ROOT, serviceEntryExists, ServiceFunction, useBucket, useTable } from './service-function';
import { buildServiceStacks, CDK_JSON_CONTEXT } from './service-stacks.test-support';
import { WildRydesStatefulStack } from './stateful-stack';
import { WORKSHOP_ARCHIVE_CATALOG } from './workshop-catalog';

describe('ServiceFunction', () => {
  it.each([
    ['health', 'track-health.lambda.ts'],
    ['health', 'detect-silence.lambda.ts'],
    ['aggregation', 'aggregate-minutes.lambda.ts'],
    ['archival', 'archive-readings.lambda.ts'],
    ['archival', 'archive-alert.lambda.ts'],
    ['ingestion', 'import-upload.lambda.ts'],
    ['ingestion', 'post-telemetry.lambda.ts'],
  ] as const)('the entry services/%s/src/%s exists', (service, entry) => {
    expect(serviceEntryExists(service, entry)).toBe(true);
  });

  it('useTable adds one statement on that one table with exactly the actions named, and the env var in the same call', () => {
    const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Probe');
    const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'Name', type: dynamodb.AttributeType.STRING } });
    const fn = new ServiceFunction(stack, 'Fn', { service: 'health', entry: 'track-health.lambda.ts', description: 'probe' });
    useTable(fn, table, 'SOME_TABLE', ['dynamodb:Query']);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { SOME_TABLE: { Ref: stack.getLogicalId(table.node.defaultChild as never) } } } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [
        { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [stack.getLogicalId(fn.logGroup.node.defaultChild as never), 'Arn'] } },
        { Action: 'dynamodb:Query', Effect: 'Allow', Resource: { 'Fn::GetAtt': [stack.getLogicalId(table.node.defaultChild as never), 'Arn'] } },
      ] },
    });
  });

  it('a grant needs actions and a bucket grant needs key prefixes', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Probe');
    const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'Name', type: dynamodb.AttributeType.STRING } });
    const fn = new ServiceFunction(stack, 'Fn', { service: 'health', entry: 'track-health.lambda.ts', description: 'probe' });
    expect(() => useTable(fn, table, 'T', [])).toThrow(/at least one action/);
    expect(() => useBucket(fn, {} as never, 'B', [])).toThrow(/at least one grant/);
    expect(() => useBucket(fn, {} as never, 'B', [{ actions: ['s3:GetObject'], prefixes: [] }])).toThrow(/at least one key prefix/);
  });

  it('cdk-nag is live on the service stacks: a `*` grant added to a function fails the synth with AwsSolutions-IAM5', async () => {
    const { health } = await buildServiceStacks();
    health.trackHealth.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['*'] }));
    expect(() => Template.fromStack(health)).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  });
});

// What the Lambda Node.js runtime provides; anything else a bundle imports would fail its cold start.
const RUNTIME_PROVIDED = /^(node:.+|@aws-sdk\/.+|@smithy\/.+)$/;

describe('bundling (local esbuild, no Docker)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'wildrydes-bundle-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes WildRydesHealth WITH bundling: each function is an ESM bundle that imports only what Lambda provides and loads under Node', () => {
    const app = new App({ outdir, context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': ['WildRydesHealth'] } });
    Aspects.of(app).add(new AwsSolutionsChecks());
    const stateful = new WildRydesStatefulStack(app, 'WildRydesStateful', { catalog: WORKSHOP_ARCHIVE_CATALOG });
    const started = performance.now();
    new WildRydesHealthStack(app, 'WildRydesHealth', {
      telemetryStream: stateful.telemetryStream, healthTable: stateful.healthTable, eventBus: stateful.eventBus, alarmTopic: stateful.alarmTopic,
    });
    app.synth();
    console.info(`WildRydesHealth built and bundled (2 functions) in ${Math.round(performance.now() - started)} ms`);

    const bundles = readdirSync(outdir).filter((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.mjs')));
    expect(bundles).toHaveLength(2);
    // The bundles import @aws-sdk/* from the runtime; here, from the workspace's node_modules.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(outdir, 'node_modules'), 'dir');
    for (const bundle of bundles) {
      const file = join(outdir, bundle, 'index.mjs');
      const code = readFileSync(file, 'utf8');
      expect(existsSync(`${file}.map`)).toBe(true);
      const imported = new Set([...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)].map((m) => m[1]!));
      expect([...imported].filter((name) => !RUNTIME_PROVIDED.test(name))).toEqual([]);
      expect(code).not.toMatch(/@duckdb\/node-api/);
      const loaded = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(typeof m.handler);`], {
        env: { ...process.env, AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        encoding: 'utf8',
      });
      expect(loaded.trim()).toBe('function');
    }
  });
});
