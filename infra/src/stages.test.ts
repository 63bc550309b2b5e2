import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildServiceStacks, expectNoNagFindings, type ServiceStacks } from './service-stacks.test-support';
import { STACK_IDS } from './wildrydes-app';

/** Where each named resource type keeps its physical name: these must differ between stages. */
const PHYSICAL_NAMES: Readonly<Record<string, string>> = {
  'AWS::Kinesis::Stream': 'Name',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Glue::Database': 'DatabaseInput.Name',
  'AWS::Athena::WorkGroup': 'Name',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Archive': 'ArchiveName',
  'AWS::Events::Rule': 'Name',
  'AWS::EventSchemas::Registry': 'RegistryName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::ApiGatewayV2::Api': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
};
/**
 * Names that live inside a parent which already carries the stage: a Glue table in the stage's database, a schema in
 * its registry, a saved query in its workgroup, an inline policy on its role, the API's `$default` stage.
 */
const SCOPED_NAMES: Readonly<Record<string, string>> = {
  'AWS::Glue::Table': 'TableInput.Name',
  'AWS::EventSchemas::Schema': 'SchemaName',
  'AWS::Athena::NamedQuery': 'Name',
  'AWS::IAM::Policy': 'PolicyName',
  'AWS::ApiGatewayV2::Stage': 'StageName',
};
/** Properties named `*Name` that refer to another resource or are not names of anything. */
const NOT_A_NAME = new Set(['DisplayName', 'FunctionName', 'EventBusName', 'DatabaseName', 'BucketName@Custom', 'RegistryName@Schema', 'MetricName', 'AttributeName']);

type Resource = { Type: string; Properties?: Record<string, unknown> };

const at = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);

/**
 * A name as it will be on AWS, as far as the template says: a `Ref` to a resource of the same stack stands for a
 * name CloudFormation generates from the stack name, so it is written `<stack>/<logical id>`.
 */
function physical(stack: Stack, value: unknown, resources: Record<string, Resource>): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    const ref = v !== null && typeof v === 'object' ? (v as { Ref?: unknown }).Ref : undefined;
    return typeof ref === 'string' && ref in resources ? `${stack.stackName}/${ref}` : v;
  });
}

/** Every account-wide name a stage's stacks set or make CloudFormation generate, with what it names. */
function physicalNames(stacks: ServiceStacks): { kind: string; name: string }[] {
  const names: { kind: string; name: string }[] = [];
  for (const id of Object.keys(STACK_IDS) as (keyof typeof STACK_IDS)[]) {
    const stack = stacks[id];
    names.push({ kind: 'stack', name: stack.stackName });
    const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource>; Outputs?: Record<string, { Export?: { Name: unknown } }> };
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      const path = PHYSICAL_NAMES[resource.Type];
      const value = path === undefined ? undefined : at(resource.Properties, path);
      // No name set: CloudFormation generates one from the stack name and the logical id.
      names.push({ kind: resource.Type, name: value === undefined ? `${stack.stackName}/${logicalId}` : physical(stack, value, template.Resources) });
    }
    for (const output of Object.values(template.Outputs ?? {})) {
      if (output.Export !== undefined) names.push({ kind: 'export', name: physical(stack, output.Export.Name, template.Resources) });
    }
  }
  return names;
}

describe('stages', () => {
  let workshop: ServiceStacks;
  let dev: ServiceStacks;
  let alice: ServiceStacks;

  beforeAll(async () => {
    workshop = await buildServiceStacks();
    dev = await buildServiceStacks(undefined, { stage: 'dev' });
    alice = await buildServiceStacks(undefined, { stage: 'alice' });
  });

  it('the default stage keeps the workshop names and the stack names `nx deploy` always used', () => {
    const names = physicalNames(workshop);
    expect(names.filter((n) => n.kind === 'stack').map((n) => n.name)).toEqual([
      'WildRydesStateful', 'WildRydesIngestion', 'WildRydesHealth', 'WildRydesAggregation', 'WildRydesArchival', 'WildRydesDashboard',
    ]);
    const literal = names.map((n) => n.name);
    expect(literal).toEqual(expect.arrayContaining([
      '"wildrydes"', '"wildrydes-summary"', '"UnicornHealth"', '"UnicornSensorData"', '"wildrydes-events"',
      '"wildrydes-unicorn-alerts"', '"wildrydes-unicorn-alerts-dlq"', '"wildrydes-unicorn-alerts-to-queue"',
      '"wildrydes-archival-unicorn-alert"', '"wildrydes-health-detect-silence"', '"wildrydes-ingestion"',
      '"wildrydes-health-failures"', '"wildrydes-aggregation-failures"', '"wildrydes-archival-failures"', '"wildrydes-ingestion-failures"',
      '"wildrydes-alarms"',
    ]));
    expect(names.find((n) => n.kind === 'AWS::S3::Bucket' && n.name.includes('wildrydes-data'))?.name).toContain('"wildrydes-data-"');
    const template = Template.fromStack(workshop.stateful);
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'wildrydes' } });
    template.hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'wildrydes' });
  });

  it.each([['dev'], ['alice']])('stage %s shares no physical name, export or log group with the default stage', (stage) => {
    const other = stage === 'dev' ? dev : alice;
    const taken = new Set(physicalNames(workshop).map((n) => n.name));
    const clashes = physicalNames(other).filter((n) => taken.has(n.name));
    expect(clashes).toEqual([]);
  });

  it('two non-default stages share no name either, and within a stage no name of a kind repeats', () => {
    const devNames = physicalNames(dev);
    const taken = new Set(physicalNames(alice).map((n) => n.name));
    expect(devNames.filter((n) => taken.has(n.name))).toEqual([]);
    const seen = new Set<string>();
    // Names are unique per kind (a stream and a bus may both be called wildrydes-dev).
    expect(devNames.filter((n) => seen.size === seen.add(`${n.kind} ${n.name}`).size)).toEqual([]);
  });

  it('a stage suffixes its names: stack WildRydesHealth-dev, stream wildrydes-dev, database wildrydes_dev, dashboard wildrydes-dev', () => {
    expect(dev.health.stackName).toBe('WildRydesHealth-dev');
    expect(dev.health.node.id).toBe('WildRydesHealth');
    const template = Template.fromStack(dev.stateful);
    template.hasResourceProperties('AWS::Kinesis::Stream', { Name: 'wildrydes-dev' });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { TableName: 'UnicornHealth-dev' });
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'wildrydes_dev' } });
    Template.fromStack(dev.dashboard).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'wildrydes-dev' });
    expect(dev.health.dependencies.map((s) => s.stackName)).toEqual(['WildRydesStateful-dev']);
  });

  it('every resource type that sets a name is checked above (a new named resource cannot slip past)', () => {
    const unchecked = new Set<string>();
    for (const stack of Object.values(STACK_IDS).map((id) => dev[(Object.keys(STACK_IDS) as (keyof typeof STACK_IDS)[]).find((k) => STACK_IDS[k] === id)!])) {
      for (const resource of Object.values(Template.fromStack(stack).toJSON()['Resources'] as Record<string, Resource>)) {
        for (const [key, value] of Object.entries(resource.Properties ?? {})) {
          if (!key.endsWith('Name') || typeof value !== 'string') continue;
          const kind = resource.Type.startsWith('Custom::') ? `${key}@Custom` : resource.Type === 'AWS::EventSchemas::Schema' ? `${key}@Schema` : key;
          if (NOT_A_NAME.has(kind) || PHYSICAL_NAMES[resource.Type] === key || SCOPED_NAMES[resource.Type] === key) continue;
          unchecked.add(`${resource.Type}.${key}`);
        }
      }
    }
    expect([...unchecked]).toEqual([]);
  });

  it('cdk-nag: no unsuppressed finding in any stack of a non-default stage', () => {
    for (const id of Object.keys(STACK_IDS) as (keyof typeof STACK_IDS)[]) expectNoNagFindings(dev[id]);
  });

  it('refuses a stage that cannot be a name', async () => {
    await expect(buildServiceStacks(undefined, { stage: 'Dev_1' })).rejects.toThrow(/stage "Dev_1"/);
    expect(() => new App()).not.toThrow();
  });
});
