import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SeededRandom } from '@wildrydes/domain';

export type FaultedService = 'kinesis' | 'dynamodb' | 's3' | 'eventbridge';

/** Shares of calls (0–1) that meet each fault; the rest pass through untouched. */
export interface FaultShares {
  /** AWS's throttling error for the service: ProvisionedThroughputExceededException, SlowDown or ThrottlingException. */
  readonly throttle?: number;
  /** A 500 with AWS's internal-error shape. */
  readonly serverError?: number;
  /** The call reaches the stand-in and takes effect, then the connection is dropped before the answer: the worst case for a retry. */
  readonly dropAfterEffect?: number;
  /** The answer comes `slowMs` late. */
  readonly slow?: number;
}

export interface FaultProxyOptions {
  readonly service: FaultedService;
  readonly seed: number;
  readonly shares: FaultShares;
  /** Delay of a slow answer, ms. Default 200. */
  readonly slowMs?: number;
}

export interface FaultCounts {
  calls: number;
  throttled: number;
  serverErrors: number;
  dropped: number;
  slowed: number;
  /** Calls refused while the proxy was down (an outage). */
  refused: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give it to the clients instead of the stand-in. */
  readonly url: string;
  readonly counts: Readonly<FaultCounts>;
  /** Where calls are forwarded (set once the stand-in's port is known). */
  retarget(url: string): void;
  /** Refuses every call (connections reset) for `ms`, as a stand-in restarting would, then serves again. */
  outage(ms: number): Promise<void>;
  close(): Promise<void>;
}

const JSON_PROTOCOL: Record<Exclude<FaultedService, 's3'>, { contentType: string; throttle: string; internal: string }> = {
  kinesis: { contentType: 'application/x-amz-json-1.1', throttle: 'ProvisionedThroughputExceededException', internal: 'InternalFailure' },
  dynamodb: {
    contentType: 'application/x-amz-json-1.0',
    throttle: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    internal: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  },
  eventbridge: { contentType: 'application/x-amz-json-1.1', throttle: 'ThrottlingException', internal: 'InternalException' },
};

/** The error answer AWS gives for a throttled or failed call of the service. */
export function awsErrorResponse(service: FaultedService, kind: 'throttle' | 'internal'): { status: number; headers: Record<string, string>; body: string } {
  if (service === 's3') {
    const [status, code, message] = kind === 'throttle' ? [503, 'SlowDown', 'Please reduce your request rate.'] : [500, 'InternalError', 'We encountered an internal error. Please try again.'];
    return {
      status, headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`,
    };
  }
  const protocol = JSON_PROTOCOL[service];
  const type = kind === 'throttle' ? protocol.throttle : protocol.internal;
  return {
    status: kind === 'throttle' ? 400 : 500,
    headers: { 'content-type': protocol.contentType, 'x-amzn-errortype': type.split('#').pop() as string },
    body: JSON.stringify({ __type: type, message: kind === 'throttle' ? 'Rate exceeded' : 'Internal failure' }),
  };
}

/**
 * A fault-injecting HTTP proxy in front of one local stand-in (the faults suite): each call, by a seeded draw,
 * is throttled, fails with a 500, is dropped after taking effect, is slowed, or passes through. 127.0.0.1 only.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = new SeededRandom(options.seed);
  const counts: FaultCounts = { calls: 0, throttled: 0, serverErrors: 0, dropped: 0, slowed: 0, refused: 0 };
  const shares = options.shares;
  let target: URL | undefined;
  let downUntil = 0;
  const sockets = new Set<Socket>();

  const forward = (req: IncomingMessage, body: Buffer, onAnswer: (status: number, headers: IncomingMessage['headers'], answer: Buffer) => void, onError: (error: Error) => void): void => {
    if (target === undefined) return onError(new Error('fault proxy has no target yet'));
    const upstream = request({
      host: target.hostname, port: target.port, method: req.method, path: req.url,
      headers: { ...req.headers, host: target.host },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => onAnswer(res.statusCode ?? 502, res.headers, Buffer.concat(chunks)));
      res.on('error', onError);
    });
    upstream.on('error', onError);
    upstream.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    counts.calls++;
    if (Date.now() < downUntil) {
      counts.refused++;
      req.socket.destroy();
      return;
    }
    const draw = random.next();
    let edge = 0;
    const hit = (share: number | undefined): boolean => draw < (edge += share ?? 0);
    const answerError = (kind: 'throttle' | 'internal'): void => {
      const error = awsErrorResponse(options.service, kind);
      res.writeHead(error.status, error.headers).end(error.body);
    };
    if (hit(shares.throttle)) {
      counts.throttled++;
      return answerError('throttle');
    }
    if (hit(shares.serverError)) {
      counts.serverErrors++;
      return answerError('internal');
    }
    const drop = hit(shares.dropAfterEffect);
    const slow = !drop && hit(shares.slow);
    forward(req, body, (status, headers, answer) => {
      if (drop) {
        counts.dropped++;
        req.socket.destroy();
        return;
      }
      const send = (): void => {
        // The body was read whole: the length is known, so no chunked encoding is passed on.
        const { 'transfer-encoding': _chunked, connection: _connection, ...rest } = headers;
        res.writeHead(status, { ...rest, 'content-length': String(answer.length) }).end(answer);
      };
      if (slow) {
        counts.slowed++;
        setTimeout(send, options.slowMs ?? 200);
      } else {
        send();
      }
    }, () => req.socket.destroy());
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    retarget: (url) => {
      target = new URL(url);
    },
    outage: async (ms) => {
      downUntil = Date.now() + ms;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
