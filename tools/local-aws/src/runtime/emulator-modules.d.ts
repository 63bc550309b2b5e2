/*
 * kinesalite, dynalite and s3rver ship as CommonJS without types (and @types/s3rver is not installed).
 * Only the surface the emulator host uses is declared, so a wrong call still fails type-checking.
 */

declare module 'kinesalite' {
  interface KinesaliteOptions {
    /** LevelDB directory; in memory (memdown) when absent. */
    path?: string;
    createStreamMs?: number;
    deleteStreamMs?: number;
    updateStreamMs?: number;
    shardLimit?: number;
    ssl?: boolean;
  }
  /** Returns an unstarted http.Server whose close() also closes the store. */
  function kinesalite(options?: KinesaliteOptions): import('node:http').Server;
  export default kinesalite;
}

declare module 'dynalite' {
  interface DynaliteOptions {
    /** LevelDB directory; in memory (memory-level) when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    ssl?: boolean;
    verbose?: boolean;
    debug?: boolean;
  }
  /** Returns an unstarted http.Server whose close() also closes the store. */
  function dynalite(options?: DynaliteOptions): import('node:http').Server;
  export default dynalite;
}

declare module 's3rver' {
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: ReadonlyArray<{ name: string; configs?: ReadonlyArray<string | Buffer> }>;
  }
  /** A Koa application; callback() is the request listener. */
  class S3rver {
    constructor(options?: S3rverOptions);
    callback(): import('node:http').RequestListener;
    /** s3rver (a Koa app) emits an S3-shaped notification for every object written or removed. */
    on(event: 'event', listener: (event: unknown) => void): this;
    /** Koa's middleware list: what is unshifted here runs before s3rver's own. */
    readonly middleware: ((ctx: { req: import('node:http').IncomingMessage }, next: () => Promise<unknown>) => Promise<unknown>)[];
    run(): Promise<import('node:net').AddressInfo>;
    close(): Promise<void>;
  }
  export default S3rver;
}

declare module 's3rver/lib/models/account' {
  interface S3rverAccount {
    readonly id: number;
    readonly displayName: string;
  }
  /** s3rver's access-key registry: it only knows the key S3RVER unless told otherwise. */
  const AWSAccount: {
    registry: Map<string, S3rverAccount>;
    DUMMY_ACCOUNT: S3rverAccount;
  };
  export default AWSAccount;
}
