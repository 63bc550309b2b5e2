/**
 * Entry of the forked emulator host: kinesalite, dynalite and s3rver in one child process.
 *
 * A child rather than the app process because s3rver needs --openssl-legacy-provider (its ListObjectsV2
 * continuation token is DES-encrypted) and because the emulators then get the second core.
 * The parent owns the lifetime: the child stops on SIGTERM or as soon as the IPC channel goes away, so it
 * never outlives a parent that crashed or was killed.
 */
import { mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net, { type AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import S3rverAccount from 's3rver/lib/models/account';
import { decodeAwsChunkedUploads, listenHttp1AndH2c } from './standard-client-shims';
import type { EmulatorHostConfig, EmulatorHostMessage, EmulatorName, EmulatorPorts } from './emulator-host.protocol';
import { guardRequestListener, guardServer } from './local-request-guard';
import { guardS3Keys } from './s3-key-guard';
import { toAwsS3Notification } from './s3-notification';
import { loadKinesalite } from './load-kinesalite';
import { installExpressionCache, type ExpressionParserModule } from './dynalite-expression-cache';
import { installTableCache, type DynaliteDbModule } from './dynalite-table-cache';

const kinesalite = loadKinesalite();
// The same module instances dynalite's request validation calls (see dynalite-expression-cache.ts).
const requireCjs = createRequire(import.meta.url);
installExpressionCache(['conditionParser', 'updateParser', 'projectionParser'].map((parser) => requireCjs(`dynalite/db/${parser}`) as ExpressionParserModule));
installTableCache(requireCjs('dynalite/db') as DynaliteDbModule);

/** dynalite's graceful close may wait up to 30 s for requests; the parent escalates to SIGKILL later anyway. */
const CLOSE_DEADLINE_MS = 3_000;

class EmulatorListenError extends Error {
  readonly code = 'EMULATOR_LISTEN_FAILED' as const;

  constructor(
    readonly service: EmulatorName,
    readonly port: number,
    readonly reason: NodeJS.ErrnoException,
  ) {
    super(`${service} could not listen on port ${port}: ${reason.message}`);
    this.name = 'EmulatorListenError';
  }
}

const config = JSON.parse(process.argv[2] ?? '{}') as EmulatorHostConfig;
const servers: (http.Server | net.Server)[] = [];
let ready = false;
let shuttingDown = false;

function send(message: EmulatorHostMessage): void {
  if (process.connected) process.send?.(message);
}

function listen(service: EmulatorName, server: http.Server | net.Server, port: number): Promise<number> {
  servers.push(server);
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(new EmulatorListenError(service, port, error));
    server.once('error', onError);
    server.listen(port, config.host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * s3rver only accepts the access key "S3RVER"; any other key gets InvalidAccessKeyId. Real tools (the AWS
 * CLI with a developer's profile, SDK defaults) send whatever key they have, so every key maps to s3rver's
 * one account. It never verifies SigV4 signatures anyway.
 */
function acceptAnyS3AccessKey(): void {
  const registry = S3rverAccount.registry;
  const knownKey = registry.get.bind(registry);
  registry.get = (accessKeyId: string) => knownKey(accessKeyId) ?? S3rverAccount.DUMMY_ACCOUNT;
}

async function start(): Promise<EmulatorPorts> {
  if (config.kinesisPath) mkdirSync(config.kinesisPath, { recursive: true });
  if (config.dynamodbPath) mkdirSync(config.dynamodbPath, { recursive: true });
  mkdirSync(config.s3Directory, { recursive: true });
  acceptAnyS3AccessKey();

  const kinesis = kinesalite({
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    // Kinesis' default shard quota in us-east-1 (kinesalite's own default is 10): the capacity bench sizes the
    // stream at ~700 unicorns a shard, so 100,000 packed unicorns ask for 143 shards.
    shardLimit: 500,
    ...(config.kinesisPath ? { path: config.kinesisPath } : {}),
  });
  const dynamodb = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(config.dynamodbPath ? { path: config.dynamodbPath } : {}),
  });
  const guard = { allowedOrigins: config.allowedOrigins ?? [] };
  guardServer(kinesis, guard);
  guardServer(dynamodb, guard);
  const s3rver = new S3rver({ address: config.host, silent: true, directory: config.s3Directory });
  relayS3Events(s3rver);
  // s3rver.run() lets a listen error escape as an uncaught 'error' event, so we own the http.Server.
  s3rver.middleware.unshift(decodeAwsChunkedUploads);
  const s3 = http.createServer(guardRequestListener(guardS3Keys(s3rver.callback(), config.s3Directory), guard));

  const [kinesisPort, dynamodbPort, s3Port] = await Promise.all([
    // The SDK's Kinesis client speaks HTTP/2 unless told otherwise: answer both (see standard-client-shims.ts).
    listen('kinesis', listenHttp1AndH2c(kinesis), config.ports.kinesis),
    listen('dynamodb', dynamodb, config.ports.dynamodb),
    listen('s3', s3, config.ports.s3),
  ]);
  return { kinesis: kinesisPort, dynamodb: dynamodbPort, s3: s3Port };
}

/**
 * s3rver emits an AWS-shaped event for every object written; the ones the parent asked for (ObjectCreated under
 * its prefixes) go to it over IPC, as S3 would notify Lambda, so an upload is imported at once.
 */
function relayS3Events(s3rver: S3rver): void {
  const prefixes = config.s3EventKeyPrefixes ?? [];
  if (prefixes.length === 0) return;
  s3rver.on('event', (event) => {
    const notification = toAwsS3Notification(event, prefixes);
    if (notification !== undefined) send({ type: 's3-event', event: notification });
  });
}

function closeServer(server: http.Server | net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    if (server instanceof http.Server) server.closeAllConnections();
  });
}

async function shutdown(exitCode: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    setTimeout(() => process.exit(exitCode), CLOSE_DEADLINE_MS).unref();
    // Closing lets LevelDB flush and release its LOCK, so a restart on the same data dir finds its data.
    await Promise.allSettled(servers.map(closeServer));
    if (config.removeS3DirectoryOnExit) rmSync(config.s3Directory, { recursive: true, force: true });
    process.exit(exitCode);
  }
  return new Promise<never>(() => undefined);
}

function reportFailure(error: unknown): void {
  const listenError = error instanceof EmulatorListenError ? error : undefined;
  send({
    type: 'failed',
    service: listenError?.service,
    port: listenError?.port,
    errorCode: listenError?.reason.code ?? (error as NodeJS.ErrnoException | undefined)?.code,
    message: error instanceof Error ? error.message : String(error),
  });
}

process.on('SIGTERM', () => void shutdown(0));
// Ctrl-C reaches the whole process group; the parent decides when we stop, so it can stop in order.
process.on('SIGINT', () => undefined);
process.on('disconnect', () => void shutdown(0));
// Belt and braces: IPC 'disconnect' was once seen not to arrive after the parent died (the host then held the
// default ports). Polling the parent's pid ends the host within two seconds of the parent however it went.
const parentPid = process.ppid;
setInterval(() => {
  try {
    process.kill(parentPid, 0);
    if (process.ppid !== parentPid) void shutdown(0);
  } catch {
    void shutdown(0);
  }
}, 2_000).unref();
process.on('uncaughtException', (error) => {
  if (!ready) reportFailure(error);
  else console.error('[emulator-host] uncaught exception:', error);
  void shutdown(1);
});

start().then(
  (ports) => {
    ready = true;
    send({ type: 'ready', ports });
  },
  (error: unknown) => {
    reportFailure(error);
    void shutdown(1);
  },
);
