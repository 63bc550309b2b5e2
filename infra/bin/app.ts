import { App, Aspects, Tags } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { statefulStackPropsFromContext, WildRydesStatefulStack, WORKSHOP_ARCHIVE_CATALOG } from '../src/index';

/**
 * The Wild Rydes CDK app. Settings come from context (`-c key=value` or cdk.json):
 *   destroyData=true               tables and data buckets are deleted with the stack (deploy with it, then destroy)
 *   telemetryShards=N              provisioned shards for `wildrydes` instead of on-demand
 *   bytesScannedCutoffPerQuery=N   Athena per-query scan limit in bytes
 * The account and region are the CLI's (CDK_DEFAULT_*); left unset, the templates are environment-agnostic.
 */
const app = new App();

new WildRydesStatefulStack(app, 'WildRydesStateful', {
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
  description: 'Wild Rydes fleet telemetry: streams, bus, tables, archive bucket, Glue/Athena, alert queue.',
  catalog: WORKSHOP_ARCHIVE_CATALOG,
  ...statefulStackPropsFromContext((key) => app.node.tryGetContext(key)),
});

Tags.of(app).add('project', 'wildrydes-fleet-telemetry');
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
