import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Files only tests run. What they import never ships, so it is not part of the production graph. */
export const TEST_ONLY_FILE = /\.(test|test-support|fake|fixture|mother|bench)\.ts$|\/bench\/|vitest\.config\.ts$/;

export interface WorkspaceProject {
  readonly name: string;
  readonly packageName: string;
  readonly root: string;
  readonly tags: readonly string[];
}

/** The workspace's projects, from the root package.json's workspaces and each project's `nx` block. */
export function workspaceProjects(repoRoot: string): WorkspaceProject[] {
  const rootPackage = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
  return rootPackage.workspaces.flatMap((pattern) => {
    const roots = pattern.endsWith('/*')
      ? readdirSync(join(repoRoot, pattern.slice(0, -2)), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${pattern.slice(0, -2)}/${e.name}`)
      : [pattern];
    return roots.flatMap((root) => {
      try {
        const pkg = JSON.parse(readFileSync(join(repoRoot, root, 'package.json'), 'utf8')) as { name: string; nx: { name: string; tags?: string[] } };
        return [{ name: pkg.nx.name, packageName: pkg.name, root, tags: pkg.nx.tags ?? [] }];
      } catch {
        return [];
      }
    });
  });
}

const sourceFiles = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.name === 'node_modules' ? [] : e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
  } catch {
    return [];
  }
};

/**
 * Project → projects its shipped code imports (tests excluded), with the file that makes each edge. The same
 * question `nx graph` answers, minus the edges that only tests create.
 */
export function productionGraph(repoRoot: string): Map<string, Map<string, string>> {
  const projects = workspaceProjects(repoRoot);
  const byPackage = new Map(projects.map((p) => [p.packageName, p.name]));
  const graph = new Map<string, Map<string, string>>();
  for (const project of projects) {
    const edges = new Map<string, string>();
    for (const file of sourceFiles(join(repoRoot, project.root, 'src'))) {
      const path = relative(repoRoot, file);
      if (TEST_ONLY_FILE.test(path)) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](@wildrydes\/[^/'"]+)/g)) {
        const target = byPackage.get(match[1]!);
        if (target !== undefined && target !== project.name && !edges.has(target)) edges.set(target, path);
      }
    }
    graph.set(project.name, edges);
  }
  return graph;
}

/** Every project reachable from `start` in the graph, with the chain of files that reaches it. */
export function reachable(graph: Map<string, Map<string, string>>, start: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const queue: [string, string[]][] = [[start, []]];
  while (queue.length > 0) {
    const [name, via] = queue.shift()!;
    for (const [target, file] of graph.get(name) ?? []) {
      if (found.has(target)) continue;
      found.set(target, [...via, file]);
      queue.push([target, [...via, file]]);
    }
  }
  return found;
}
