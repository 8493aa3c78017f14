// The module graph of our sources as the TypeScript compiler resolves it: every import, export-from, `import()` and
// `require()` of a file, resolved with the compiler options of the project that builds that file (renderer/ with
// renderer/tsconfig.json, the rest with tsconfig.json). Packages and Node built-ins are leaves: we check what our
// code reaches, not what a package does inside (docs/decisions/0002-layers-on-the-module-graph.md).
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/** A repository file (relative path with `/`), `package:NAME` or `builtin:NAME`. */
export type ModuleId = string;

export interface Edge {
  to: ModuleId;
  kind: 'static' | 'type-only' | 'dynamic' | 'require';
  specifier: string;
}

/** A dynamic import or require whose specifier is computed, so no tool can follow it. */
export interface Unfollowable {
  from: ModuleId;
  line: number;
}

export interface ModuleGraph {
  edges: Map<ModuleId, Edge[]>;
  unfollowable: Unfollowable[];
}

export interface GraphOptions {
  /** The folders whose files start the walk; everything they reach in the repository is read too. */
  roots: readonly string[];
  /** Files that exist only for this walk (relative path → content), on top of the repository: used by the tests. */
  overlay?: Readonly<Record<string, string>>;
}

const SOURCE = /\.(ts|tsx|mts|cts)$/;
const builtins = new Set(builtinModules);

function compilerOptions(configPath: string): ts.CompilerOptions {
  const config = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(configPath)).options;
}

const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

interface Found {
  specifier: string;
  kind: Edge['kind'];
  line?: number;
}

function importsOf(source: ts.SourceFile): Found[] {
  const found: Found[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, kind: node.importClause?.isTypeOnly ? 'type-only' : 'static' });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, kind: node.isTypeOnly ? 'type-only' : 'static' });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, kind: 'type-only' });
    } else if (ts.isCallExpression(node) && isLoader(node)) {
      const [arg] = node.arguments;
      const kind = node.expression.kind === ts.SyntaxKind.ImportKeyword ? 'dynamic' : 'require';
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ specifier: arg && ts.isStringLiteralLike(arg) ? arg.text : '', kind, line });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const isLoader = (call: ts.CallExpression) =>
  call.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(call.expression) && call.expression.text === 'require');

function listSources(root: string, folder: string): string[] {
  const absolute = path.join(root, folder);
  if (!fs.existsSync(absolute)) return [];
  return (fs.readdirSync(absolute, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((file) => SOURCE.test(file) && !file.split(path.sep).includes('node_modules'))
    .map((file) => path.posix.join(folder, file.split(path.sep).join('/')));
}

/** The file system as the compiler sees it, with the overlay's files on top. */
const overlayHost = (overlaid: (absolute: string) => string | undefined): ts.ModuleResolutionHost => ({
  fileExists: (file) => overlaid(file) !== undefined || ts.sys.fileExists(file),
  readFile: (file) => overlaid(file) ?? ts.sys.readFile(file),
  directoryExists: (dir) => ts.sys.directoryExists?.(dir) ?? true,
  realpath: (file) => (overlaid(file) !== undefined ? file : (ts.sys.realpath?.(file) ?? file)),
});

/** Walks from every source file under `roots`, following resolved imports to any file of the repository. */
export function moduleGraph(root: string, options: GraphOptions): ModuleGraph {
  const overlay = options.overlay ?? {};
  const nodeOptions = compilerOptions(path.join(root, 'tsconfig.json'));
  const rendererOptions = compilerOptions(path.join(root, 'renderer', 'tsconfig.json'));
  const toId = (absolute: string) => path.relative(root, absolute).split(path.sep).join('/');
  const host = overlayHost((absolute) => overlay[toId(absolute)]);
  const caches = new Map<ts.CompilerOptions, ts.ModuleResolutionCache>(
    [nodeOptions, rendererOptions].map((options) => [options, ts.createModuleResolutionCache(root, (file) => file, options)]),
  );
  const graph: ModuleGraph = { edges: new Map(), unfollowable: [] };
  const queue = [...new Set([...options.roots.flatMap((folder) => listSources(root, folder)), ...Object.keys(overlay).filter((f) => SOURCE.test(f))])];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (graph.edges.has(id)) continue;
    const absolute = path.join(root, id);
    const text = host.readFile(absolute) ?? '';
    const source = ts.createSourceFile(absolute, text, ts.ScriptTarget.Latest, false, id.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const compiler = id.startsWith('renderer/') ? rendererOptions : nodeOptions;
    const edges: Edge[] = [];
    for (const { specifier, kind, line } of importsOf(source)) {
      if (specifier === '') {
        graph.unfollowable.push({ from: id, line: line ?? 0 });
        continue;
      }
      const to = resolve(specifier, absolute, { compiler, host, cache: caches.get(compiler)!, toId });
      edges.push({ to, kind, specifier });
      if (!to.includes(':') && SOURCE.test(to) && !graph.edges.has(to)) queue.push(to);
    }
    graph.edges.set(id, edges);
  }
  return graph;
}

interface Resolver {
  compiler: ts.CompilerOptions;
  host: ts.ModuleResolutionHost;
  cache: ts.ModuleResolutionCache;
  toId: (absolute: string) => ModuleId;
}

function resolve(specifier: string, from: string, { compiler, host, cache, toId }: Resolver): ModuleId {
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || builtins.has(bare)) return `builtin:${bare}`;
  const mode = compiler.moduleResolution === ts.ModuleResolutionKind.Bundler ? undefined : ts.ModuleKind.ESNext;
  const { resolvedModule } = ts.resolveModuleName(specifier, from, compiler, host, cache, undefined, mode);
  const relative = specifier.startsWith('.') || specifier.startsWith('/');
  if (!relative && (!resolvedModule || resolvedModule.isExternalLibraryImport)) return `package:${packageName(specifier)}`;
  // An unresolved relative import (a stylesheet, a file TypeScript does not read) is still an edge to that path.
  return toId(resolvedModule?.resolvedFileName ?? path.resolve(path.dirname(from), specifier));
}
