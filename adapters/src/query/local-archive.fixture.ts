import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { alertObjectKey, archiveObjectKey, parseStatusTime } from '@wildrydes/domain';
import type { ArchivedAlert, ArchivedReading } from './archive-records.mother';

export type ArchiveLayout = 's3rver' | 'plain';

export interface LocalArchive {
  /** The bucket's folder (`<s3DataDir>/<bucket>` for s3rver). */
  readonly bucketDir: string;
  /** Bytes of every object written, by `<table prefix>/<dt>`, to check bytesScanned against. */
  readonly objectBytes: ReadonlyMap<string, number>;
  remove(): Promise<void>;
}

/**
 * Writes readings and alerts the way the archiver does (gzip NDJSON under `raw/dt=/hour=/` and `alerts/dt=/`), either
 * as s3rver stores objects on disk or as plain files (an `aws s3 sync` copy). Each hour is split into
 * `objectsPerPartition` objects, as Firehose-like buffering would.
 */
export async function writeLocalArchive(
  layout: ArchiveLayout,
  readings: readonly ArchivedReading[],
  alerts: readonly ArchivedAlert[] = [],
  objectsPerPartition = 2,
): Promise<LocalArchive> {
  const root = await mkdtemp(join(tmpdir(), 'wildrydes-query-'));
  const bucketDir = join(root, 'wildrydes-data');
  await mkdir(bucketDir, { recursive: true });
  const objectBytes = new Map<string, number>();

  const put = async (key: string, lines: readonly unknown[]): Promise<void> => {
    const body = gzipSync(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    const file = join(bucketDir, layout === 's3rver' ? `${key}._S3rver_object` : key);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, body);
    if (layout === 's3rver') {
      // s3rver's side files sit next to every object; the engine's glob must not pick them up.
      const md5 = createHash('md5').update(body).digest('hex');
      await writeFile(`${file}.md5`, md5);
      await writeFile(join(bucketDir, `${key}._S3rver_metadata.json`), JSON.stringify({ 'content-type': 'application/gzip', etag: `"${md5}"` }));
    }
    const [area, dtFolder] = key.split('/') as [string, string];
    const bucketKey = `${area}/${dtFolder.slice('dt='.length)}`;
    objectBytes.set(bucketKey, (objectBytes.get(bucketKey) ?? 0) + body.length);
  };

  // Partitioned by the readings' own time here; the engines never assume that, they only read the folders.
  const readingsByHour = groupBy(readings, (r) => r.StatusTime.slice(0, 13));
  let objectId = 0;
  for (const rows of readingsByHour.values()) {
    const partitionTime = parseStatusTime(rows[0]!.StatusTime);
    const chunk = Math.ceil(rows.length / objectsPerPartition);
    for (let i = 0; i < rows.length; i += chunk) {
      await put(archiveObjectKey('raw', partitionTime, `shardId-000000000000/${objectId++}`), rows.slice(i, i + chunk));
    }
  }
  for (const alert of alerts) {
    await put(alertObjectKey(parseStatusTime(alert.readingTime), alert.alertId), [alert]);
  }

  return { bucketDir, objectBytes, remove: () => rm(root, { recursive: true, force: true }) };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
