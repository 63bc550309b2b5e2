/** A line of an uploaded file whose bytes are not valid UTF-8: kept (lossily decoded) so it can be quarantined. */
export interface InvalidUtf8Line {
  readonly invalidUtf8: string;
}

/**
 * One line of an uploaded file, without its line break (`\n` or `\r\n`). Every physical line is yielded, blank
 * ones included, so the n-th item is line n.
 */
export type UploadedLine = string | InvalidUtf8Line;

/**
 * Reads an uploaded object line by line, streamed: a file of any size is never held whole in memory. Objects
 * whose key ends `.gz` (or stored with `Content-Encoding: gzip`) are gunzipped on the way.
 */
export interface UploadedFileSource {
  openLines(bucket: string, key: string): AsyncIterable<UploadedLine>;
}

export const isInvalidUtf8Line = (line: UploadedLine): line is InvalidUtf8Line => typeof line !== 'string';
