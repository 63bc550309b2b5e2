import { App, Aspects, Tags } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stagedName } from '@wildrydes/domain';
import { addWildRydesStacks, wildRydesSettingsFromContext } from '../src/index';

/**
 * The Wild Rydes CDK app: one stage of it. Settings come from context (`-c key=value` or cdk.json):
 *   stage=NAME                     the stage (default: the workshop's names); through Nx: `nx deploy health -- -c stage=dev`
 *   alarmEmail=ADDRESS             subscribe this address to the stage's alarm topic
 *   destroyData=true               tables and data buckets are deleted with the stack (deploy with it, then destroy)
 *   telemetryShards=N              provisioned shards for `wildrydes` instead of on-demand
 *   bytesScannedCutoffPerQuery=N   Athena per-query scan limit in bytes
 * The account and region are the CLI's (CDK_DEFAULT_*); left unset, the templates are environment-agnostic.
 *
 * One stateful stack, then one stack per service, each taking the stateful resources it uses as props, and the
 * dashboard. Those cross-stack references make each service stack depend on the stateful one, so
 * `cdk deploy WildRydesHealth` (without --exclusively) deploys WildRydesStateful first when it has changed.
 */
const app = new App();
const settings = wildRydesSettingsFromContext((key) => app.node.tryGetContext(key));
// Nx takes a bare `-c` as its own --configuration and drops an unknown one silently, so say which stage this is.
process.stderr.write(`Wild Rydes stage "${settings.stage}": stacks ${stagedName('WildRydesStateful', settings.stage)}, ${stagedName('WildRydesHealth', settings.stage)}, …\n`);
addWildRydesStacks(app, {
  ...settings,
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
});

Tags.of(app).add('project', 'wildrydes-fleet-telemetry');
Tags.of(app).add('stage', settings.stage ?? 'default');
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
