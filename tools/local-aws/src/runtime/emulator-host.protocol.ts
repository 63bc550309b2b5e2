/**
 * The contract between the parent (start-local-runtime.ts) and the forked emulator host.
 * The config travels as the child's single argv entry (JSON), so the child can start listening before
 * any IPC round trip; the child answers with exactly one ready or failed message.
 */

export type EmulatorName = 'kinesis' | 'dynamodb' | 's3';

export interface EmulatorPorts {
  readonly kinesis: number;
  readonly dynamodb: number;
  readonly s3: number;
}

export interface EmulatorHostConfig {
  readonly host: string;
  /** 0 asks the OS for any free port. */
  readonly ports: EmulatorPorts;
  /** LevelDB directory for kinesalite; in memory when absent. */
  readonly kinesisPath?: string;
  /** LevelDB directory for dynalite; in memory when absent. */
  readonly dynamodbPath?: string;
  readonly s3Directory: string;
  /** True for the throw-away directory of in-memory mode, so it goes even if the parent dies first. */
  readonly removeS3DirectoryOnExit: boolean;
  /** Web origins allowed to call the emulators from a browser (local-request-guard.ts). Default: none. */
  readonly allowedOrigins?: readonly string[];
  /** Keys whose S3 `ObjectCreated` events are relayed to the parent as `s3-event` messages. Default: none. */
  readonly s3EventKeyPrefixes?: readonly string[];
}

/** An S3 notification as AWS delivers it to Lambda (`Records[]`, keys URL-encoded). */
export interface RelayedS3Event {
  readonly Records: readonly unknown[];
}

export type EmulatorHostMessage =
  | { readonly type: 'ready'; readonly ports: EmulatorPorts }
  | { readonly type: 's3-event'; readonly event: RelayedS3Event }
  | {
      readonly type: 'failed';
      readonly service: EmulatorName | undefined;
      readonly port: number | undefined;
      /** The Node error code, e.g. EADDRINUSE, when there is one. */
      readonly errorCode: string | undefined;
      readonly message: string;
    };

export function isEmulatorHostMessage(value: unknown): value is EmulatorHostMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'failed' || type === 's3-event';
}
