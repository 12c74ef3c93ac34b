/**
 * The core's modules depend on each other in one direction between folders: no folder of
 * server/src/core (with each module at the top of the core as a node of its own) imports,
 * even for a type, from a folder that imports from it. A cycle of modules is a failure too,
 * unless it is listed below with its reason.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, walk } from '../../support/corpus';

const CORE = path.join(repoRoot, 'server', 'src', 'core');

/** Module cycles inside one folder that are known, each with why it stays. */
const KNOWN_MODULE_CYCLES: Record<string, string> = {
  // policyDocument.ts imports only types from the others: a Statement carries the facts worked out for it once (actions, resources, conditions).
  'model/actionFacts.ts model/conditions.ts model/knownActions.ts model/policyDocument.ts model/policyVariables.ts model/resolvedValues.ts model/resourceFacts.ts': 'statement caches',
};

type Graph = Map<string, Set<string>>;

/** Relative imports of each core module (`import`, `import type`, `export … from`), as paths relative to the core. */
function moduleImports(coreDir: string): Graph {
  const graph: Graph = new Map();
  for (const file of walk(coreDir, '.ts')) {
    const from = path.relative(coreDir, file).split(path.sep).join('/');
    const targets = new Set<string>();
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;'"]*?from\s*['"](\.[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g)) {
      const spec = m[1] ?? m[2];
      const resolved = path.resolve(path.dirname(file), spec);
      const candidates = [`${resolved}.ts`, path.join(resolved, 'index.ts')];
      const target = candidates.find((c) => fs.existsSync(c));
      if (target) targets.add(path.relative(coreDir, target).split(path.sep).join('/'));
    }
    graph.set(from, targets);
  }
  return graph;
}

/** A module's folder under the core (`checks`, `sources`…); a module at the top of the core is its own node. */
function folderOf(module: string): string {
  const slash = module.indexOf('/');
  return slash < 0 ? module : module.slice(0, slash);
}

/** The graph with each node replaced by `group(node)`, without self-edges. */
function grouped(graph: Graph, group: (n: string) => string): Graph {
  const out: Graph = new Map();
  for (const [from, targets] of graph) {
    const g = group(from);
    if (!out.has(g)) out.set(g, new Set());
    for (const t of targets) if (group(t) !== g) out.get(g)!.add(group(t));
  }
  return out;
}

/** Strongly connected components of more than one node (Tarjan), each sorted, as a space-separated key. */
function cycles(graph: Graph): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort().join(' '));
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort();
}

/** For a cycle of groups: the imports that make it (from → to: module → module). */
function edgesOf(graph: Graph, component: string, group: (n: string) => string): string[] {
  const members = new Set(component.split(' '));
  const out: string[] = [];
  for (const [from, targets] of graph) {
    for (const t of targets) if (group(from) !== group(t) && members.has(group(from)) && members.has(group(t))) out.push(`${from} -> ${t}`);
  }
  return out;
}

test('the cycle finder finds a folder cycle made by one type import, and none in a chain', () => {
  const graph: Graph = new Map([
    ['engine.ts', new Set(['checks/registry.ts'])],
    ['checks/registry.ts', new Set(['checks/a.ts'])],
    ['checks/a.ts', new Set(['handshake/x.ts', 'findings.ts'])],
    ['handshake/x.ts', new Set(['checks/check.ts'])],
    ['checks/check.ts', new Set()],
    ['findings.ts', new Set()],
  ]);
  assert.deepEqual(cycles(grouped(graph, folderOf)), ['checks handshake']);
  graph.set('handshake/x.ts', new Set(['findings.ts']));
  assert.deepEqual(cycles(grouped(graph, folderOf)), []);
  assert.deepEqual(cycles(graph), []);
});

test('no folder of the core imports from a folder that imports from it', () => {
  const graph = moduleImports(CORE);
  assert.ok(graph.size > 100, `${graph.size} core modules`);
  const found = cycles(grouped(graph, folderOf));
  assert.deepEqual(found.map((c) => ({ cycle: c, imports: edgesOf(graph, c, folderOf) })), []);
});

test('no new cycle of modules', () => {
  const found = cycles(moduleImports(CORE)).filter((c) => !(c in KNOWN_MODULE_CYCLES));
  assert.deepEqual(found, []);
});
