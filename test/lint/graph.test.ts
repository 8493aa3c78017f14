// The layer rules on the resolved module graph (scripts/layers/, run by `npm run lint`): the repository passes, and
// probe files laid over the real repository (never written to disk) prove that each way across a layer is caught,
// direct, through another file, by `import()` and by a computed name.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { moduleGraph, type ModuleGraph } from '../../scripts/layers/graph.js';
import { checkLayers, LAYER_ROOTS, type Violation } from '../../scripts/layers/rules.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const probes: Record<string, string> = {
  'renderer/probe-direct.ts': "import { startNode } from '../node/app.js';\nexport const x = startNode;\n",
  'shared/probe-bridge.ts': "export { createLogger } from '../node/log.js';\n",
  'renderer/probe-indirect.ts': "import { createLogger } from '../shared/probe-bridge.js';\nexport const x = createLogger;\n",
  'renderer/backoffice/probe-dynamic.tsx': "export const load = () => import('../../node/db/pglite.js');\n",
  'renderer/probe-builtin.ts': "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n",
  'renderer/probe-test.ts': "export { tempDir } from '../test/support/tmp.js';\n",
  'renderer/probe-computed.ts': "export const load = (name: string) => import(`../node/${name}.js`);\n",
  'shared/probe-dynamic-pg.ts': "export const load = () => import('pg');\n",
  'shared/probe-pg.ts': "import pg from 'pg';\nexport const x = pg;\n",
  'shared/probe-fastify.ts': "export type { FastifyInstance } from 'fastify';\n",
  'node/catalog/probe-api.ts': "import { startApi } from '../api/server.js';\nexport const x = startApi;\n",
  'node/catalog/probe.model.ts': "import type { ReadDb } from '../db/types.js';\nexport type X = ReadDb;\n",
  'node/catalog/probe-helper.ts': "export { Mutex } from '../db/mutex.js';\n",
  'node/catalog/probe.decide.ts': "export { Mutex } from './probe-helper.js';\n",
  // Allowed: the same kinds of import within the rules.
  'renderer/probe-allowed.ts': "import { AppError } from '../shared/errors.js';\nexport const load = () => import('../shared/money.js');\nexport const x = AppError;\n",
  'node/api/probe-allowed.ts': "export * from '../catalog/products.decide.js';\n",
};

const find = (violations: Violation[], from: string, to: string) => violations.filter((v) => v.from === from && v.to === to);
const chain = (v: Violation | undefined) => v?.path.map((step) => step.module);

describe('layers on the module graph', () => {
  let real: ModuleGraph;
  let probed: Violation[];

  beforeAll(() => {
    real = moduleGraph(repoRoot, { roots: LAYER_ROOTS });
    probed = checkLayers(moduleGraph(repoRoot, { roots: LAYER_ROOTS, overlay: probes }));
  }, 120_000);

  it('finds no file of the repository reaching across its layer', () => {
    // Not vacuous: the walk saw the renderer reach the contract through its client.
    expect(real.edges.size).toBeGreaterThan(100);
    expect(real.edges.get('renderer/api/client.ts')?.map((e) => e.to)).toContain('shared/contract/index.ts');
    expect(checkLayers(real)).toEqual([]);
  });

  it('refuses node code imported by the renderer directly', () => {
    const [v] = find(probed, 'renderer/probe-direct.ts', 'node/app.ts');
    expect(v?.rule).toBe('renderer-reaches-no-server-code');
    expect(chain(v)).toEqual(['renderer/probe-direct.ts', 'node/app.ts']);
  });

  it('refuses node code reached by the renderer through a shared file', () => {
    const [v] = find(probed, 'renderer/probe-indirect.ts', 'node/log.ts');
    expect(v?.rule).toBe('renderer-reaches-no-server-code');
    expect(chain(v)).toEqual(['renderer/probe-indirect.ts', 'shared/probe-bridge.ts', 'node/log.ts']);
    // Only the first crossing is named, not pino behind node/log.ts.
    expect(find(probed, 'renderer/probe-indirect.ts', 'package:pino')).toEqual([]);
    expect(find(probed, 'shared/probe-bridge.ts', 'node/log.ts')[0]?.rule).toBe('shared-reaches-no-other-layer');
  });

  it('refuses node code loaded by the renderer with import()', () => {
    const [v] = find(probed, 'renderer/backoffice/probe-dynamic.tsx', 'node/db/pglite.ts');
    expect(v?.path.at(-1)).toEqual({ module: 'node/db/pglite.ts', kind: 'dynamic' });
    // Dynamic imports are followed further: a shared file loading pg through import() is caught at the package.
    expect(find(probed, 'shared/probe-dynamic-pg.ts', 'package:pg')[0]?.path.at(-1)?.kind).toBe('dynamic');
  });

  it('refuses Node built-ins, test code and computed imports in the renderer', () => {
    expect(find(probed, 'renderer/probe-builtin.ts', 'builtin:fs')).toHaveLength(1);
    expect(find(probed, 'renderer/probe-test.ts', 'test/support/tmp.ts')).toHaveLength(1);
    expect(probed.filter((v) => v.rule === 'imports-can-be-followed').map((v) => v.to)).toEqual(['renderer/probe-computed.ts:1']);
  });

  it('refuses server packages in shared/, even as types', () => {
    expect(find(probed, 'shared/probe-pg.ts', 'package:pg')[0]?.rule).toBe('shared-reaches-no-other-layer');
    expect(find(probed, 'shared/probe-fastify.ts', 'package:fastify')[0]?.path.at(-1)?.kind).toBe('type-only');
  });

  it('refuses the API imported by a domain', () => {
    expect(find(probed, 'node/catalog/probe-api.ts', 'node/api/server.ts')[0]?.rule).toBe('domains-do-not-call-the-api');
  });

  it('refuses the database layer in pure rules, directly or through a helper', () => {
    expect(find(probed, 'node/catalog/probe.model.ts', 'node/db/types.ts')[0]?.rule).toBe('pure-rules-have-no-database');
    const [v] = find(probed, 'node/catalog/probe.decide.ts', 'node/db/mutex.ts');
    expect(chain(v)).toEqual(['node/catalog/probe.decide.ts', 'node/catalog/probe-helper.ts', 'node/db/mutex.ts']);
    // The helper is not a pure rule: it may use the database.
    expect(find(probed, 'node/catalog/probe-helper.ts', 'node/db/mutex.ts')).toEqual([]);
  });

  it('allows imports that follow the rules', () => {
    expect(probed.filter((v) => v.from.endsWith('probe-allowed.ts'))).toEqual([]);
  });
});
