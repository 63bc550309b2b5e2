import { readFileSync } from 'node:fs';
import type { RejectionCode } from '@wildrydes/domain';

/** The three ways telemetry enters: a Kinesis record, a line of a POST /telemetry body, a line of an uploaded file. */
export type Door = 'kinesis' | 'http' | 'upload';

/** A malformed record or line, and the reason every door it applies to must give. */
export interface CorpusRecord {
  readonly kind: string;
  readonly bytes: Buffer;
  readonly code: RejectionCode;
  readonly doors: readonly Door[];
}

/** A whole HTTP request that must be refused, kept in the quarantine when it carried something (code). */
export interface CorpusBody {
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
  readonly status: number;
  readonly code?: RejectionCode;
}

/** An uploaded file that is unusable as a whole. */
export interface CorpusFile {
  readonly kind: string;
  readonly file: string;
  readonly bytes: Buffer;
  readonly code: RejectionCode;
}

const at = (path: string): URL => new URL(`../corpus/${path}`, import.meta.url);
const json = <T>(path: string): T => JSON.parse(readFileSync(at(path), 'utf8')) as T;

export function corpusRecords(): CorpusRecord[] {
  return json<{ kind: string; raw?: string; rawBase64?: string; code: RejectionCode; doors?: Door[] }[]>('records.json').map((r) => ({
    kind: r.kind,
    bytes: r.rawBase64 === undefined ? Buffer.from(r.raw ?? '', 'utf8') : Buffer.from(r.rawBase64, 'base64'),
    code: r.code,
    doors: r.doors ?? ['kinesis', 'http', 'upload'],
  }));
}

export function corpusBodies(): CorpusBody[] {
  type Raw = { kind: string; method?: string; path?: string; contentType?: string; contentEncoding?: string; body?: string; bodyBase64?: string; repeat?: { line: string; bytes: number }; status: number; code?: RejectionCode };
  return json<Raw[]>('bodies.json').map((b) => ({
    kind: b.kind,
    method: b.method ?? 'POST',
    path: b.path ?? '/telemetry',
    headers: { ...(b.contentType === undefined ? {} : { 'content-type': b.contentType }), ...(b.contentEncoding === undefined ? {} : { 'content-encoding': b.contentEncoding }) },
    body: b.bodyBase64 !== undefined ? Buffer.from(b.bodyBase64, 'base64')
      : b.repeat !== undefined ? Buffer.from(`${b.repeat.line}\n`.repeat(Math.ceil(b.repeat.bytes / (b.repeat.line.length + 1))))
      : b.body === undefined ? undefined : Buffer.from(b.body, 'utf8'),
    status: b.status,
    ...(b.code === undefined ? {} : { code: b.code }),
  }));
}

export function corpusFiles(): CorpusFile[] {
  return json<{ kind: string; file: string; code: RejectionCode }[]>('files.json').map((f) => ({ ...f, bytes: readFileSync(at(`files/${f.file}`)) }));
}

/** A valid reading of a unicorn of its own, the neighbour every bad record is sent beside. */
export function neighbour(name: string, second: number): string {
  const time = new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + second * 1000).toISOString().replace('T', ' ').replace('Z', '');
  return JSON.stringify({ Name: name, StatusTime: time, Latitude: 40.7484, Longitude: -73.9857, Distance: 1.5, MagicPoints: 150, HealthPoints: 150 });
}
