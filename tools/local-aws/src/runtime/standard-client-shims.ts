/**
 * What lets an unconfigured AWS client reach the stand-ins: a plain SDK v3 client (no request handler, no
 * path-style or checksum settings) aimed at them only by `AWS_ENDPOINT_URL_<SERVICE>`, or the AWS CLI.
 *
 * - The SDK's Kinesis client speaks HTTP/2 (prior knowledge, h2c on an http:// URL); kinesalite is an HTTP/1.1
 *   server and answers "Protocol error". `listenHttp1AndH2c` serves both on one port: it peeks at a connection's
 *   first bytes and hands it to an HTTP/2 server when they are the HTTP/2 preface.
 * - SDK v3 and recent botocore upload streamed S3 bodies `aws-chunked` with a trailing checksum; s3rver stores
 *   those bytes verbatim (chunk sizes and the trailer inside the object). `decodeAwsChunkedUploads` strips
 *   the framing before s3rver sees the body.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Headers HTTP/2 forbids; kinesalite sets some of them (e.g. Transfer-Encoding on a 413). */
const CONNECTION_SPECIFIC_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

type RequestListener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * A server that answers HTTP/1.1 and cleartext HTTP/2 (prior knowledge) on the same port with the request
 * listeners of `http1` (kinesalite's own server). Closing it closes `http1` too (kinesalite then closes its store)
 * and every open connection of either protocol.
 */
export function listenHttp1AndH2c(http1: http.Server): net.Server {
  const listeners = http1.listeners('request') as RequestListener[];
  const h2 = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  h2.on('request', (req, res) => {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name: string, value: number | string | readonly string[]) => {
      if (!CONNECTION_SPECIFIC_HEADERS.has(name.toLowerCase())) setHeader(name, value);
      return res;
    };
    for (const listener of listeners) listener(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse);
  });
  const front = net.createServer((socket) => {
    socket.once('readable', () => {
      const head = (socket.read() as Buffer | null) ?? Buffer.alloc(0);
      if (head.length === 0) {
        socket.destroy();
        return;
      }
      socket.unshift(head);
      const probe = head.subarray(0, HTTP2_PREFACE.length);
      (HTTP2_PREFACE.subarray(0, probe.length).equals(probe) ? h2 : http1).emit('connection', socket);
    });
  });
  const closeFront = front.close.bind(front);
  front.close = (callback?: (error?: Error) => void) => {
    closeFront();
    for (const session of sessions) session.destroy();
    http1.closeAllConnections();
    http1.close(() => callback?.());
    return front;
  };
  return front;
}

/**
 * A Koa middleware for s3rver, to run first: a body sent `aws-chunked` (x-amz-content-sha256 STREAMING-…) reaches
 * s3rver's handlers decoded, with the headers it stores (Content-Length, Content-Encoding) as S3 itself keeps them.
 */
export async function decodeAwsChunkedUploads(ctx: { req: http.IncomingMessage }, next: () => Promise<unknown>): Promise<void> {
  const { headers } = ctx.req;
  const sha = headers['x-amz-content-sha256'];
  const encodings = (headers['content-encoding'] ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (!(typeof sha === 'string' && sha.startsWith('STREAMING-')) && !encodings.includes('aws-chunked')) {
    await next();
    return;
  }
  const rest = encodings.filter((e) => e !== 'aws-chunked');
  if (rest.length > 0) headers['content-encoding'] = rest.join(', ');
  else delete headers['content-encoding'];
  const decodedLength = headers['x-amz-decoded-content-length'];
  if (typeof decodedLength === 'string') headers['content-length'] = decodedLength;
  delete headers['x-amz-trailer'];
  headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  const original = ctx.req;
  const decoded = original.pipe(new AwsChunkedDecoder());
  decoded.on('error', (error) => original.destroy(error));
  // s3rver's handlers read the body from ctx.req (its headers come from ctx.request, the original request).
  ctx.req = Object.assign(decoded, { headers: original.headers, method: original.method, url: original.url }) as unknown as http.IncomingMessage;
  await next();
}

/** `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0\r\n<trailers>\r\n\r\n` → the bytes. */
export class AwsChunkedDecoder extends Transform {
  private buffered: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private state: 'size' | 'data' | 'data-end' | 'trailer' = 'size';

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    try {
      this.drain();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.state === 'trailer' || (this.state === 'size' && this.buffered.length === 0) ? null : new Error('aws-chunked body ended inside a chunk'));
  }

  private drain(): void {
    for (;;) {
      if (this.state === 'data') {
        if (this.buffered.length === 0) return;
        const take = Math.min(this.remaining, this.buffered.length);
        this.push(this.buffered.subarray(0, take));
        this.buffered = this.buffered.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      const lineEnd = this.buffered.indexOf('\r\n');
      if (this.state === 'trailer') {
        this.buffered = Buffer.alloc(0);
        return;
      }
      if (lineEnd === -1) return;
      const line = this.buffered.subarray(0, lineEnd).toString('latin1');
      this.buffered = this.buffered.subarray(lineEnd + 2);
      if (this.state === 'data-end') {
        if (line !== '') throw new Error('aws-chunked: missing CRLF after a chunk');
        this.state = 'size';
        continue;
      }
      const size = Number.parseInt(line.split(';')[0] ?? '', 16);
      if (!Number.isInteger(size) || size < 0) throw new Error(`aws-chunked: bad chunk size "${line.slice(0, 40)}"`);
      if (size === 0) {
        this.state = 'trailer';
        continue;
      }
      this.remaining = size;
      this.state = 'data';
    }
  }
}
