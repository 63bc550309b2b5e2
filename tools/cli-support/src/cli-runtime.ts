import { InvalidArgumentError, type Command } from 'commander';
import { parseDuration } from './duration';
import { isHttpUrl } from './aws-target';
import { normaliseGoStyleFlags } from './go-style-flags';

/** Where commander writes help and errors (a test passes its own). */
export interface CliOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/**
 * Parses argv with commander the way every Wild Rydes tool does: Go-style single-dash long flags accepted (the
 * workshop's clients took `-name x`), errors printed as `<tool>: …` with a hint, and an exit code instead of
 * commander's process.exit — 0 after --help, 2 for a bad flag. Returns undefined when the command should run.
 */
export function parseCommandLine(tool: string, command: Command, argv: readonly string[], io: CliOutput): number | undefined {
  let exitCode: number | undefined;
  command
    .exitOverride((error) => {
      exitCode = error.exitCode === 0 ? 0 : 2;
      throw error;
    })
    .configureOutput({ writeOut: io.writeOut, writeErr: io.writeErr, outputError: (text, write) => write(`${tool}: ${text.replace(/^error: /, '')}`) })
    .showHelpAfterError(`(run ${tool} --help for usage)`);
  const longFlags = command.options.flatMap((option) => (option.long === undefined ? [] : [option.long]));
  try {
    command.parse(normaliseGoStyleFlags(argv, [...longFlags, '--help']), { from: 'user' });
  } catch (error) {
    if (exitCode !== undefined) return exitCode;
    throw error;
  }
  return undefined;
}

/** Commander argument parsers shared by the tools, with the same wording everywhere. */
export const wholeNumberArgument = (min: number) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}.`);
  return n;
};

export const durationArgument = (value: string): number => {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration such as 90s, 5m or 1h.');
  return ms;
};

export const httpUrlArgument = (value: string): string => {
  if (!isHttpUrl(value)) throw new InvalidArgumentError('expected an http(s) URL such as http://127.0.0.1:4567.');
  return value;
};

/** First Ctrl-C (or SIGTERM) aborts cleanly; a second one exits at once with 130. Returns the un-registration. */
export function onStopSignals(controller: AbortController): () => void {
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * Runs a tool's main and exits with its code once stdout has drained: the SDK's Node-20 notice off, a closed pipe
 * (`tool | head`) ends the run quietly as in any Unix tool, and an unexpected error is one line on stderr, exit 1.
 */
export function runMain(tool: string, main: (argv: readonly string[]) => Promise<number>): void {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const exitWhenDrained = (code: number): void => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 2_000).unref();
  };
  main(process.argv.slice(2)).then(exitWhenDrained, (error: unknown) => {
    process.stderr.write(`${tool}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitWhenDrained(1);
  });
}
