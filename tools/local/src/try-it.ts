import { RESOURCE_NAMES } from '@wildrydes/domain';

/** What the banners print for trying the stack by hand; tests run these very strings. */

export interface TryItEndpoints {
  readonly region: string;
  readonly kinesis: string;
  readonly dynamodb: string;
  readonly s3: string;
  readonly eventbridge?: string | undefined;
}

/** Sample files under examples/ (paths from the repository root, where the docs' commands run). */
export const EXAMPLE_FILES = {
  reading: 'examples/reading.json',
  readings: 'examples/readings.ndjson',
  upload: 'examples/upload-small.ndjson',
  uploadGzip: 'examples/upload-small.ndjson.gz',
  uploadWithBadLines: 'examples/upload-with-bad-lines.ndjson',
} as const;

/**
 * Ready-made AWS CLI commands with `--endpoint-url` and inline credentials: they work in any shell, and with
 * AWS CLI versions older than the `AWS_ENDPOINT_URL_<SERVICE>` variables (Debian's 2.9).
 */
export function awsCliCommands(endpoints: TryItEndpoints): string[] {
  const aws = (endpoint: string): string => `AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region ${endpoints.region} --endpoint-url ${endpoint}`;
  return [
    `${aws(endpoints.kinesis)} kinesis describe-stream-summary --stream-name ${RESOURCE_NAMES.telemetryStream}`,
    `${aws(endpoints.dynamodb)} dynamodb scan --table-name ${RESOURCE_NAMES.healthTable} --max-items 3`,
    `${aws(endpoints.s3)} s3 cp ${EXAMPLE_FILES.upload} s3://${RESOURCE_NAMES.dataBucket}/uploads/`,
    `${aws(endpoints.s3)} s3 ls s3://${RESOURCE_NAMES.dataBucket}/`,
    ...(endpoints.eventbridge === undefined ? [] : [`${aws(endpoints.eventbridge)} events list-rules --event-bus-name ${RESOURCE_NAMES.eventBus}`]),
  ];
}

/**
 * curl commands for `POST /telemetry`. `--data-binary` sends the file as it is: `-d` would send it as a form
 * (the wrong content type) with its newlines stripped, which joins NDJSON lines into one bad line.
 */
export function curlCommands(ingestionUrl: string): string[] {
  const post = (contentType: string, file: string): string => `curl -sS -X POST ${ingestionUrl}/telemetry -H 'Content-Type: ${contentType}' --data-binary @${file}`;
  return [post('application/json', EXAMPLE_FILES.reading), post('application/x-ndjson', EXAMPLE_FILES.readings)];
}

/** Uploads through the project's own command, which waits for the import report. */
export function uploadCommands(): string[] {
  return [`npx wildrydes-upload --local ${EXAMPLE_FILES.uploadGzip}`, `npx wildrydes-upload --local ${EXAMPLE_FILES.uploadWithBadLines}`];
}
