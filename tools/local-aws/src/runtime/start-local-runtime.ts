import { startLocalEventBridge } from '../eventbridge/local-event-bridge-server';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  isEmulatorHostMessage,
  type EmulatorHostConfig,
  type EmulatorHostMessage,
  type EmulatorPorts,
  type RelayedS3Event,
} from './emulator-host.protocol';
import { defaultEndpointsFilePath, removeLocalEndpointsFile, writeLocalEndpointsFile, type LocalEndpoints } from './local-endpoints-file';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { LocalRuntimePortInUseError, LocalRuntimeStartError } from './local-runtime.errors';
import { LOCAL_PORT_ENV_VARS, resolveLocalPorts, type LocalServiceName, type LocalServicePorts } from './local-runtime-ports';

export const LOCAL_DEFAULT_HOST = '127.0.0.1';
export const LOCAL_DEFAULT_REGION = 'us-east-1';

/** What the EventBridge stand-in (tools/local-aws/src/eventbridge) is started with, in the parent process. */
export interface LocalEventBridgeStartOptions {
  readonly host: string;
  readonly port: number;
  /** The runtime's data directory when it persists (the bus keeps its files under `eventbridge/`), otherwise absent. */
  readonly dataDir?: string;
  /** Web origins allowed to call it from a browser (local-request-guard.ts). */
  readonly allowedOrigins?: readonly string[];
}

export interface LocalEventBridgeHandle {
  readonly url: string;
  readonly port: number;
  close(): Promise<void> | void;
}

export type LocalEventBridgeStarter = (options: LocalEventBridgeStartOptions) => Promise<LocalEventBridgeHandle>;

export interface StartLocalRuntimeOptions {
  /** Every server binds this address only. Default 127.0.0.1. */
  readonly host?: string;
  /** Explicit ports win over WILDRYDES_*_PORT, which win over the defaults; 0 means any free port. */
  readonly ports?: Partial<LocalServicePorts>;
  /** Persist streams, tables and objects under this folder (kinesis/, dynamodb/, s3/); in memory when absent. */
  readonly dataDir?: string;
  readonly region?: string;
  /** Write `.wildrydes/local.json` (or `endpointsFilePath`) and remove it on stop. */
  readonly writeEndpointsFile?: boolean;
  /** Where to write the endpoints file; defaults to `<repo root>/.wildrydes/local.json`. Tests use a temp path. */
  readonly endpointsFilePath?: string;
  /**
   * The single place the local EventBridge stand-in is started: pass `startLocalEventBridge` here.
   * It runs in the parent process (its rule targets are in-process callbacks), on the eventbridge port.
   */
  readonly startEventBridge?: LocalEventBridgeStarter | false;
  /** How long to wait for the emulator host to report its ports. Default 20 s. */
  readonly startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. Default 5 s. */
  readonly stopTimeoutMs?: number;
  /**
   * Web origins (the project's own pages, e.g. the dashboard's `http://127.0.0.1:4580`) allowed to call the
   * stand-ins from a browser; every other origin, and any Host but this machine's loopback, gets 403. Default: none.
   */
  readonly allowedOrigins?: readonly string[];
  /** S3 key prefixes whose ObjectCreated notifications reach onS3Event listeners (as S3 → Lambda). Default: none. */
  readonly s3NotificationPrefixes?: readonly string[];
}

export interface LocalRuntimeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** False when the host died without stop() being called. */
  readonly requested: boolean;
}

export interface LocalRuntime {
  readonly endpoints: LocalEndpoints;
  /** The emulator host's pid: kinesalite, dynalite and s3rver live there. */
  readonly hostPid: number;
  /** The endpoints file written, if any. */
  readonly endpointsFile: string | undefined;
  /** Settles when the emulator host has exited, whether stop() asked for it or not. */
  readonly exited: Promise<LocalRuntimeExit>;
  /** Calls the listener with each S3 notification (s3NotificationPrefixes), as S3 would invoke Lambda. Returns an unsubscribe. */
  onS3Event(listener: (event: RelayedS3Event) => void): () => void;
  /** Stops everything and resolves once the host process has exited and temp files are gone. Idempotent. */
  stop(): Promise<void>;
}

const HOST_ENTRY = fileURLToPath(new URL('./emulator-host.process.ts', import.meta.url));
/** An absolute URL, so the child finds tsx whatever the caller's working directory is. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const STDERR_TAIL_BYTES = 4_096;

export async function startLocalRuntime(options: StartLocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const startedAt = new Date();
  const host = options.host ?? LOCAL_DEFAULT_HOST;
  const region = options.region ?? LOCAL_DEFAULT_REGION;
  const ports = resolveLocalPorts(options.ports);
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const dataDirLock: DataDirLock | undefined = dataDir === undefined ? undefined : await acquireDataDirLock(dataDir);
  const tempDir = dataDir === undefined ? await mkdtemp(join(tmpdir(), 'wildrydes-s3-')) : undefined;
  const s3Directory = dataDir === undefined ? (tempDir as string) : join(dataDir, 's3');

  const hostStart = forkEmulatorHost(
    {
      host,
      ports: { kinesis: ports.kinesis, dynamodb: ports.dynamodb, s3: ports.s3 },
      ...(dataDir === undefined ? {} : { kinesisPath: join(dataDir, 'kinesis'), dynamodbPath: join(dataDir, 'dynamodb') }),
      s3Directory,
      removeS3DirectoryOnExit: tempDir !== undefined,
      allowedOrigins: options.allowedOrigins ?? [],
      s3EventKeyPrefixes: options.s3NotificationPrefixes ?? [],
    },
    region,
    options.startTimeoutMs ?? 20_000,
  );
  // The project's own EventBridge stand-in unless the caller brings another (or none, with false).
  const eventBridgeStarter = options.startEventBridge === false ? undefined : (options.startEventBridge ?? startLocalEventBridge);
  const eventBridgeStart = eventBridgeStarter
    ? startEventBridge(eventBridgeStarter, host, ports.eventbridge, dataDir, options.allowedOrigins ?? [])
    : Promise.resolve(undefined);

  const [hostResult, eventBridgeResult] = await Promise.allSettled([hostStart.ready, eventBridgeStart]);
  if (hostResult.status === 'rejected' || eventBridgeResult.status === 'rejected') {
    await Promise.allSettled([
      terminate(hostStart.child, hostStart.exited, options.stopTimeoutMs ?? 5_000),
      eventBridgeResult.status === 'fulfilled' ? eventBridgeResult.value?.close() : undefined,
    ]);
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
    await dataDirLock?.release();
    throw hostResult.status === 'rejected'
      ? hostResult.reason
      : (eventBridgeResult as PromiseRejectedResult).reason;
  }
  const hostPorts = hostResult.value;
  const eventBridge = eventBridgeResult.value;

  const url = (port: number): string => `http://${host}:${port}`;
  const endpoints: LocalEndpoints = {
    region,
    kinesis: url(hostPorts.kinesis),
    dynamodb: url(hostPorts.dynamodb),
    s3: url(hostPorts.s3),
    ...(eventBridge ? { eventbridge: eventBridge.url } : {}),
    s3DataDir: s3Directory,
  };

  const { child, exited } = hostStart;
  let stopping: Promise<void> | undefined;
  let stopRequested = false;
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  // Belt and braces: the host also exits on IPC disconnect, but a synchronous kill on exit costs nothing.
  process.once('exit', killOnExit);

  const endpointsFile = options.writeEndpointsFile ? (options.endpointsFilePath ?? defaultEndpointsFilePath()) : undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      stopRequested = true;
      const results = await Promise.allSettled([
        terminate(child, exited, options.stopTimeoutMs ?? 5_000),
        eventBridge?.close(),
      ]);
      process.off('exit', killOnExit);
      if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
      await dataDirLock?.release();
      if (endpointsFile !== undefined) await removeLocalEndpointsFile(endpointsFile, process.pid);
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    })();
    return stopping;
  };

  try {
    await dataDirLock?.recordHost(child.pid as number);
    if (endpointsFile !== undefined) {
      await writeLocalEndpointsFile(endpointsFile, { ...endpoints, pid: process.pid, startedAt: startedAt.toISOString() });
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    endpoints,
    hostPid: child.pid as number,
    endpointsFile,
    exited: exited.then((exit) => ({ ...exit, requested: stopRequested })),
    onS3Event: (listener) => {
      const onMessage = (message: unknown): void => {
        if (isEmulatorHostMessage(message) && message.type === 's3-event') listener(message.event);
      };
      child.on('message', onMessage);
      return () => child.off('message', onMessage);
    },
    stop,
  };
}

interface ForkedHost {
  readonly child: ChildProcess;
  readonly ready: Promise<EmulatorPorts>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function forkEmulatorHost(config: EmulatorHostConfig, region: string, timeoutMs: number): ForkedHost {
  const child = fork(HOST_ENTRY, [JSON.stringify(config)], {
    execArgv: ['--openssl-legacy-provider', '--import', TSX_LOADER],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    // kinesalite builds stream ARNs from AWS_REGION.
    env: { ...process.env, AWS_REGION: region, AWS_DEFAULT_REGION: region },
  });

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });

  // Until the host is ready its stderr is kept for the error message; afterwards it is passed through.
  let stderrTail = '';
  let passStderrThrough = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    if (passStderrThrough) process.stderr.write(chunk);
    else stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  });

  const tail = (): string => (stderrTail.trim() ? `\n--- emulator host stderr ---\n${stderrTail.trim()}` : '');
  const ready = new Promise<EmulatorPorts>((resolveReady, rejectReady) => {
    let settled = false;
    const finish = (outcome: EmulatorPorts | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('error', onError);
      if (outcome instanceof Error) {
        rejectReady(outcome);
        return;
      }
      passStderrThrough = true;
      if (stderrTail) process.stderr.write(stderrTail);
      resolveReady(outcome);
    };
    const timer = setTimeout(
      () => finish(new LocalRuntimeStartError(`the emulator host did not report ready within ${timeoutMs} ms${tail()}`)),
      timeoutMs,
    );
    const onMessage = (message: unknown): void => {
      if (!isEmulatorHostMessage(message) || message.type === 's3-event') return;
      finish(message.type === 'ready' ? message.ports : toStartError(message, config.host, tail()));
    };
    const onError = (error: Error): void =>
      finish(new LocalRuntimeStartError(`could not start the emulator host: ${error.message}`, { cause: error }));
    child.on('message', onMessage);
    child.on('error', onError);
    void exited.then(({ code, signal }) =>
      finish(new LocalRuntimeStartError(`the emulator host exited before it was ready (code ${code}, signal ${signal})${tail()}`)),
    );
  });

  return { child, ready, exited };
}

function toStartError(message: Extract<EmulatorHostMessage, { type: 'failed' }>, host: string, stderrTail: string): Error {
  if (message.errorCode === 'EADDRINUSE' && message.service !== undefined && message.port !== undefined) {
    return new LocalRuntimePortInUseError(message.service, message.port, host, LOCAL_PORT_ENV_VARS[message.service]);
  }
  return new LocalRuntimeStartError(`the emulator host failed to start: ${message.message}${stderrTail}`);
}

async function startEventBridge(
  starter: LocalEventBridgeStarter,
  host: string,
  port: number,
  dataDir: string | undefined,
  allowedOrigins: readonly string[],
): Promise<LocalEventBridgeHandle> {
  const service: LocalServiceName = 'eventbridge';
  try {
    return await starter({ host, port, allowedOrigins, ...(dataDir === undefined ? {} : { dataDir }) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new LocalRuntimePortInUseError(service, port, host, LOCAL_PORT_ENV_VARS[service]);
    }
    throw error;
  }
}

/** SIGTERM, then SIGKILL after the timeout; resolves only once the process has exited. */
async function terminate(
  child: ChildProcess,
  exited: Promise<unknown>,
  timeoutMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([exited.then(() => 'exited' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
