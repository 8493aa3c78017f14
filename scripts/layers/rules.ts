// The layer rules of DESIGN.md "Layout", checked on the resolved module graph (graph.ts): a rule forbids what a file
// reaches, directly or through any chain of other files, by static, type-only or dynamic import or require.
import type { Edge, ModuleGraph, ModuleId } from './graph.js';

export interface Rule {
  name: string;
  why: string;
  from: (file: ModuleId) => boolean;
  forbidden: (target: ModuleId) => boolean;
}

export interface Violation {
  rule: string;
  why: string;
  from: ModuleId;
  to: ModuleId;
  /** The shortest chain of imports from `from` to `to`, each step with how it imports. */
  path: { module: ModuleId; kind?: Edge['kind'] }[];
}

/** The folders the graph walk starts from: every file a rule applies to lives under one of them. */
export const LAYER_ROOTS = ['renderer', 'shared', 'node'] as const;

const SERVER_PACKAGES = ['pg', '@electric-sql/pglite', 'fastify', 'ws', 'better-sqlite3', 'pino', 'electron'];
// node/ folders that are not domains; any other folder of node/ is a domain (catalog/, and sales/, stock/ … to come).
const NOT_DOMAINS = new Set(['api', 'db', 'journal', 'runtime', 'cli', 'system', 'federation', 'central', 'health', 'jobs']);

const under = (...folders: string[]) => (id: ModuleId) => folders.some((folder) => id.startsWith(`${folder}/`));
const serverPackage = (id: ModuleId) =>
  id.startsWith('package:') && (SERVER_PACKAGES.includes(id.slice('package:'.length)) || id.startsWith('package:@fastify/'));
const builtin = (id: ModuleId) => id.startsWith('builtin:');
const domainFile = (id: ModuleId) => {
  const [top, folder, rest] = id.split('/', 3);
  return top === 'node' && rest !== undefined && !NOT_DOMAINS.has(folder!);
};

export const rules: readonly Rule[] = [
  {
    name: 'renderer-reaches-no-server-code',
    why: 'the renderer runs in a browser: it reaches shared/ only, never node/, electron/, test/, server packages or Node built-ins',
    from: under('renderer'),
    forbidden: (id) => under('node', 'electron', 'test')(id) || serverPackage(id) || builtin(id),
  },
  {
    name: 'shared-reaches-no-other-layer',
    why: 'shared/ runs in the browser, the node and Electron alike: it reaches none of the other layers, no server package and no Node built-in',
    from: under('shared'),
    forbidden: (id) => under('node', 'electron', 'renderer', 'test')(id) || serverPackage(id) || builtin(id),
  },
  {
    name: 'domains-do-not-call-the-api',
    why: 'a domain (node/catalog/ …) is called by the API and the federation, never the other way round',
    from: domainFile,
    forbidden: under('node/api', 'node/federation'),
  },
  {
    name: 'pure-rules-have-no-database',
    why: 'decide and model files are pure rules: they reach nothing in node/db/',
    from: (id) => id.startsWith('node/') && /\.(decide|model)\.ts$/.test(id),
    forbidden: under('node/db'),
  },
];

/** Every forbidden module each file reaches first, with the shortest chain that reaches it. */
export function checkLayers(graph: ModuleGraph, ruleSet: readonly Rule[] = rules): Violation[] {
  const violations: Violation[] = [];
  for (const from of [...graph.edges.keys()].sort()) {
    const applying = ruleSet.filter((rule) => rule.from(from));
    if (applying.length === 0) continue;
    const reached = reach(graph, from);
    for (const [to, path] of reached) {
      for (const rule of applying) {
        // Only the first crossing on the way is reported: what lies beyond it goes when it goes.
        const crossesEarlier = path.slice(0, -1).some((step) => rule.forbidden(step.module));
        if (rule.forbidden(to) && !crossesEarlier) violations.push({ rule: rule.name, why: rule.why, from, to, path });
      }
    }
  }
  for (const { from, line } of graph.unfollowable) {
    if (from.startsWith('renderer/') || from.startsWith('shared/')) {
      violations.push({
        rule: 'imports-can-be-followed',
        why: 'a dynamic import or require with a computed name cannot be checked: name the module with a string literal',
        from,
        to: `${from}:${line}`,
        path: [{ module: from }],
      });
    }
  }
  return violations;
}

/** Breadth-first from one file: each module it reaches, with the shortest chain to it. */
function reach(graph: ModuleGraph, start: ModuleId): Map<ModuleId, Violation['path']> {
  const paths = new Map<ModuleId, Violation['path']>([[start, [{ module: start }]]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i]!;
    for (const edge of graph.edges.get(current) ?? []) {
      if (paths.has(edge.to)) continue;
      paths.set(edge.to, [...paths.get(current)!, { module: edge.to, kind: edge.kind }]);
      queue.push(edge.to);
    }
  }
  paths.delete(start);
  return paths;
}

export const describeViolation = (v: Violation): string =>
  `${v.rule}: ${v.from} reaches ${v.to}\n  ${v.path.map((step) => (step.kind ? `--${step.kind}--> ${step.module}` : step.module)).join(' ')}\n  (${v.why})`;
