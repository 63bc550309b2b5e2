import { readFileSync } from 'node:fs';
import { App, Aspects, type Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { expect } from 'vitest';
import type { ServiceFunction } from './service-function';
import type { WildRydesStatefulStack } from './stateful-stack';
import { addWildRydesStacks, type WildRydesSettings, type WildRydesStacks } from './wildrydes-app';

/** The feature flags `cdk synth` uses (cdk.json), e.g. weak cross-stack references. */
export const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

export interface ServiceStacks extends WildRydesStacks {
  readonly app: App;
}

/** The whole app as bin/app.ts builds it (one stage), with cdk-nag, and asset bundling skipped (the bundle test does bundle). */
export async function buildServiceStacks(
  context: Record<string, unknown> = { 'aws:cdk:bundling-stacks': [] },
  settings: WildRydesSettings = {},
): Promise<ServiceStacks> {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, ...context } });
  Aspects.of(app).add(new AwsSolutionsChecks());
  return { app, ...addWildRydesStacks(app, settings) };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[]; DeletionPolicy?: string }>;

/** Reads one service stack's template in terms of the stateful stack's own resources. */
export class ServiceTemplate {
  readonly template: Template;
  private readonly statefulOutputs: Record<string, { Value: unknown }>;

  constructor(readonly stack: Stack, readonly stateful: WildRydesStatefulStack) {
    this.template = Template.fromStack(stack);
    this.statefulOutputs = Template.fromStack(stateful).toJSON()['Outputs'] as Record<string, { Value: unknown }>;
  }

  get resources(): Resources {
    return this.template.toJSON()['Resources'] as Resources;
  }

  logicalId(construct: { node: { defaultChild?: unknown } }): string {
    return this.stack.getLogicalId(construct.node.defaultChild as never);
  }

  /** A stateful resource's attribute as the stateful stack renders it, e.g. `t.ref(stateful.healthTable.tableArn)`. */
  ref(value: unknown): unknown {
    return this.stateful.resolve(value);
  }

  /** Replaces each weak cross-stack reference (`Fn::GetStackOutput`) by the stateful output's value. */
  deref(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.deref(v));
    if (value === null || typeof value !== 'object') return value;
    const ref = (value as Record<string, { StackName?: string; OutputName?: string }>)['Fn::GetStackOutput'];
    if (ref !== undefined) {
      expect(ref.StackName).toBe(this.stateful.stackName);
      const output = this.statefulOutputs[ref.OutputName ?? ''];
      expect(output, `stateful output ${ref.OutputName}`).toBeDefined();
      return output!.Value;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.deref(v)]));
  }

  /** Every action the function's role may perform, each with the resources it may perform it on (dereferenced). */
  grantsOf(fn: ServiceFunction): Record<string, unknown[]> {
    return this.grantsOfRole(this.logicalId(fn.role));
  }

  grantsOfRole(roleLogicalId: string): Record<string, unknown[]> {
    const grants: Record<string, unknown[]> = {};
    for (const policy of Object.values(this.resources).filter((r) => r.Type === 'AWS::IAM::Policy')) {
      const roles = policy.Properties['Roles'] as unknown[];
      if (!roles.some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId }))) continue;
      const statements = (policy.Properties['PolicyDocument'] as { Statement: Record<string, unknown>[] }).Statement;
      for (const statement of statements) {
        expect(statement['Effect']).toBe('Allow');
        expect(statement['Condition']).toBeUndefined();
        for (const action of [statement['Action']].flat() as string[]) {
          for (const resource of [statement['Resource']].flat()) (grants[action] ??= []).push(this.deref(resource));
        }
      }
    }
    for (const resources of Object.values(grants)) resources.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return grants;
  }

  /** The role's managed policies (none, for every role in the service stacks). */
  managedPoliciesOf(roleLogicalId: string): unknown {
    return this.resources[roleLogicalId]?.Properties['ManagedPolicyArns'];
  }

  functionProps(fn: ServiceFunction): Record<string, unknown> {
    return this.resources[this.logicalId(fn.function)]!.Properties;
  }

  environmentOf(fn: ServiceFunction): Record<string, unknown> {
    return this.deref((this.functionProps(fn)['Environment'] as { Variables: Record<string, unknown> }).Variables) as Record<string, unknown>;
  }

  mappingOf(fn: ServiceFunction): Record<string, unknown> {
    const mappings = Object.values(this.resources)
      .filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && JSON.stringify(r.Properties['FunctionName']) === JSON.stringify({ Ref: this.logicalId(fn.function) }));
    expect(mappings).toHaveLength(1);
    return this.deref(mappings[0]!.Properties) as Record<string, unknown>;
  }

  /** The same grant set for any function: every log write goes to its own group only. */
  logWrites(fn: ServiceFunction): [readonly string[], unknown[]] {
    return [['logs:CreateLogStream', 'logs:PutLogEvents'], [{ 'Fn::GetAtt': [this.logicalId(fn.logGroup), 'Arn'] }]];
  }

  failureQueueArn(): unknown {
    const queues = Object.entries(this.resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
    expect(queues).toHaveLength(1);
    return { 'Fn::GetAtt': [queues[0]![0], 'Arn'] };
  }
}

/** The read grant CDK's Kinesis event source gives a function (the AWSLambdaKinesisExecutionRole set + DescribeStreamConsumer). */
export const KINESIS_MAPPING_READ = [
  'kinesis:DescribeStream', 'kinesis:DescribeStreamConsumer', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords',
  'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:ListStreams', 'kinesis:SubscribeToShard',
] as const;
/** Active tracing's grant: X-Ray's write actions support no resource-level permissions, so `*` (and nothing else is). */
export const TRACE_WRITES: [readonly string[], unknown[]] = [['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], ['*']];
/** What an SQS on-failure destination grants the function on its queue. */
export const SQS_DESTINATION = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'] as const;

export const grantMap = (...entries: [readonly string[], unknown[]][]): Record<string, unknown[]> => {
  const map: Record<string, unknown[]> = {};
  for (const [actions, resources] of entries) for (const action of actions) (map[action] ??= []).push(...resources);
  for (const resources of Object.values(map)) resources.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return map;
};

/** The checks every function of every service stack passes. */
export function expectServiceFunctionDefaults(t: ServiceTemplate, fn: ServiceFunction, service: string): void {
  const props = t.functionProps(fn);
  expect(props['Runtime']).toBe('nodejs24.x');
  expect(props['Architectures']).toEqual(['arm64']);
  expect(props['Handler']).toBe('index.handler');
  expect(props['LoggingConfig']).toEqual({ LogFormat: 'JSON', LogGroup: { Ref: t.logicalId(fn.logGroup) } });
  expect(props['Role']).toEqual({ 'Fn::GetAtt': [t.logicalId(fn.role), 'Arn'] });
  const logGroup = t.resources[t.logicalId(fn.logGroup)]!;
  expect(logGroup.Properties['RetentionInDays']).toBe(14);
  expect(logGroup.DeletionPolicy).toBe('Delete');
  expect(t.managedPoliciesOf(t.logicalId(fn.role))).toBeUndefined();
  expect(t.environmentOf(fn)).toMatchObject({
    NODE_OPTIONS: '--enable-source-maps',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: `wildrydes-${service}`,
    POWERTOOLS_METRICS_NAMESPACE: 'WildRydes',
  });
  expect(fn.function.node.defaultChild).toBeInstanceOf(CfnFunction);
}

/** The mapping settings every stream handler shares. */
export const STREAM_MAPPING_DEFAULTS = {
  StartingPosition: 'TRIM_HORIZON',
  FunctionResponseTypes: ['ReportBatchItemFailures'],
  BisectBatchOnFunctionError: true,
  MaximumRetryAttempts: 5,
  MaximumRecordAgeInSeconds: 3600,
} as const;

export function expectNoNagFindings(stack: Stack): void {
  const rule = Match.stringLikeRegexp('AwsSolutions-.*');
  expect(Annotations.fromStack(stack).findError('*', rule)).toEqual([]);
  expect(Annotations.fromStack(stack).findWarning('*', rule)).toEqual([]);
}

/**
 * No statement in the stack allows an action on `*` or on a wildcard other than the object keys under one prefix of
 * a bucket (`<bucket ARN>/<prefix>/*`), which is how S3 object permissions are granted.
 */
export function expectNoWildcardResources(t: ServiceTemplate): void {
  for (const [id, resource] of Object.entries(t.resources).filter(([, r]) => r.Type === 'AWS::IAM::Policy')) {
    for (const statement of (resource.Properties['PolicyDocument'] as { Statement: Record<string, unknown>[] }).Statement) {
      const actions = [statement['Action']].flat() as string[];
      for (const r of [statement['Resource']].flat()) {
        const text = JSON.stringify(r);
        if (r === '*' && actions.every((action) => TRACE_WRITES[0].includes(action))) continue;
        expect(r, `${id}: ${text}`).not.toBe('*');
        if (text.includes('*')) expect(text, `${id}: ${text}`).toMatch(/^\{"Fn::Join":\["",\[\{"Fn::GetStackOutput":.*\},"\/[a-z]+\/\*"\]\]\}$/);
      }
    }
  }
}
