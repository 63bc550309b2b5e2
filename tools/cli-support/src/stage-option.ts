import { InvalidArgumentError, Option, type Command } from 'commander';
import { checkStage, InvalidStageError, RESOURCE_NAMES, resourceNames, type ResourceNames } from '@wildrydes/domain';

/** `--stage <name>`: the deployed stage whose resources a CLI uses on AWS (the local stack has one stage, the default). */
export function stageOption(conflictsWith: readonly string[] = ['local', 'endpointsFile']): Option {
  return new Option('--stage <stage>', "deployed stage on AWS: the workshop names become the stage's (wildrydes -> wildrydes-dev)")
    .argParser(stageArgument)
    .conflicts([...conflictsWith]);
}

export function stageArgument(value: string): string {
  try {
    return checkStage(value);
  } catch (error) {
    if (error instanceof InvalidStageError) throw new InvalidArgumentError(error.message.replace(/^stage "[^"]*": /, ''));
    throw error;
  }
}

/**
 * An option's value with `--stage` applied: the workshop name of one of `keys` (the option's default, or typed out,
 * e.g. `--stream wildrydes-summary`) becomes the stage's (`wildrydes-summary-dev`); any other name is used as given.
 * The same rule as infra's (`resourceNames` in the domain), so a CLI finds what `nx deploy` made.
 */
export function stagedOptionValue(command: Command, option: string, keys: readonly (keyof ResourceNames)[]): string {
  const value = command.getOptionValue(option) as string;
  const stage = command.getOptionValue('stage') as string | undefined;
  const key = keys.find((k) => RESOURCE_NAMES[k] === value);
  return stage === undefined || key === undefined ? value : resourceNames(stage)[key];
}
