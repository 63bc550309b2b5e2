/**
 * s3rver keeps each object as files under `<directory>/<bucket>/<key>`, joining the key into a path: a key like
 * `uploads/../../../../outside.ndjson` wrote outside the data folder. S3 itself treats a key as an opaque name,
 * so no S3 request can ever touch a file; this guard, in front of s3rver, refuses every request whose bucket,
 * key, copy source or listing prefix could be read as a path out of the folder, with S3's error document.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { resolve, sep } from 'node:path';

/** Why a path-style S3 request could escape `directory`, or undefined when it cannot. */
export function escapingS3Path(url: string, headers: Readonly<Record<string, string | string[] | undefined>>, directory: string): string | undefined {
  const [path = '/', query = ''] = url.split('?', 2);
  const copySource = headers['x-amz-copy-source'];
  const candidates: [string, string][] = [['the key', path]];
  if (typeof copySource === 'string') candidates.push(['the copy source', copySource.split('?')[0] ?? '']);
  for (const [name, value] of new URLSearchParams(query)) {
    if (name === 'prefix' || name === 'marker' || name === 'start-after' || name === 'delimiter') candidates.push([`the ${name}`, value]);
  }
  for (const [what, encoded] of candidates) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(encoded);
    } catch {
      return `${what} is not valid percent-encoding`;
    }
    if (decoded.includes('\0')) return `${what} holds a NUL character`;
    const segments = decoded.split(/[/\\]/);
    if (segments.some((segment) => segment === '..' || segment === '.')) return `${what} holds a "." or ".." path segment`;
  }
  // Belt and braces: whatever the rules above miss, the file s3rver would use must stay inside its folder.
  const root = resolve(directory);
  const target = resolve(root, `.${decodeSafely(path)}`);
  if (target !== root && !target.startsWith(root + sep)) return 'the key resolves outside the bucket';
  return undefined;
}

const decodeSafely = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Wraps s3rver's request listener: requests that could escape the folder get 400 InvalidArgument and never reach it. */
export function guardS3Keys(listener: RequestListener, directory: string): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const reason = escapingS3Path(request.url ?? '/', request.headers, directory);
    if (reason === undefined) {
      listener(request, response);
      return;
    }
    const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
    const body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code>'
      + `<Message>Invalid object name: ${escapeXml(reason)}. Keys with "." or ".." segments are refused by the local S3.</Message>`
      + `<Resource>${escapeXml((request.url ?? '/').slice(0, 1024))}</Resource><RequestId>${requestId}</RequestId></Error>`;
    response.writeHead(400, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': requestId, connection: 'close' }).end(body);
    request.resume();
  };
}

const escapeXml = (text: string): string => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
