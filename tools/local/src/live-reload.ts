import { watch, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { findRepoRoot } from '@wildrydes/local-aws';
import { SERVICE_NAMES, SERVICE_PACKAGES, type ServiceModules, type ServiceName } from './service-handlers';

export interface LiveReloadOptions {
  /** A module to load in place of a service's package (tests inject one they can edit). */
  readonly serviceModules?: Partial<Record<ServiceName, string>>;
  /** Folders whose edits reload a service, in place of its `src/` and the shared code's. */
  readonly watchDirs?: Partial<Record<ServiceName, readonly string[]>>;
  /** How long edits are gathered before a reload, in ms (an editor's save is often several writes). */
  readonly debounceMs?: number;
}

const REPO_ROOT = findRepoRoot();
const SHARED_SOURCES = ['domain/src', 'adapters/src', 'services/lambda-kit/src'];

/** The folders whose edits reload `service`: its own sources and the code every service shares. */
export function defaultWatchDirs(service: ServiceName): string[] {
  return [`services/${service}/src`, ...SHARED_SOURCES].map((dir) => join(REPO_ROOT, dir));
}

/**
 * Imports a service's module graph afresh: tsx's `tsImport` loads every file (the service, the domain, the
 * adapters) under a new namespace, so edited files are read again while the running build keeps its own copies.
 * A syntax error rejects here, before anything is swapped.
 */
export async function importServiceAfresh<S extends ServiceName>(service: S, options: LiveReloadOptions = {}): Promise<ServiceModules[S]> {
  const specifier = options.serviceModules?.[service] ?? SERVICE_PACKAGES[service];
  return (await tsImport(specifier, { parentURL: import.meta.url, tsconfig: join(REPO_ROOT, 'tsconfig.json') })) as ServiceModules[S];
}

/**
 * Watches each service's folders and calls `reload(service, changedFile)` once per burst of edits; reloads run
 * one at a time. `.test.ts` files and anything but TypeScript are ignored.
 */
export function watchServiceSources(
  options: LiveReloadOptions,
  reload: (service: ServiceName, changed: string) => Promise<void>,
): { stop(): Promise<void> } {
  const dirsOf = (service: ServiceName): readonly string[] => options.watchDirs?.[service] ?? defaultWatchDirs(service);
  const servicesOf = new Map<string, ServiceName[]>();
  for (const service of SERVICE_NAMES) {
    for (const dir of dirsOf(service)) servicesOf.set(dir, [...(servicesOf.get(dir) ?? []), service]);
  }
  const pending = new Map<ServiceName, string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const flush = (): void => {
    const batch = [...pending];
    pending.clear();
    running = running.then(async () => {
      for (const [service, changed] of batch) await reload(service, changed);
    });
  };
  const watchers: FSWatcher[] = [...servicesOf].map(([dir, services]) =>
    watch(dir, { recursive: true }, (_event, file) => {
      if (file === null || !/\.[mc]?ts$/.test(file) || /\.test\.[mc]?ts$/.test(file)) return;
      for (const service of services) pending.set(service, relative(REPO_ROOT, join(dir, file)));
      clearTimeout(timer);
      timer = setTimeout(flush, options.debounceMs ?? 150);
    }),
  );
  return {
    stop: async () => {
      clearTimeout(timer);
      watchers.forEach((watcher) => watcher.close());
      await running;
    },
  };
}
