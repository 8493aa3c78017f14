// Checks the layer rules on the module graph the compiler resolves (scripts/layers/); part of `npm run lint`, so of
// `npm test` and CI. Exits 1 listing each file that reaches what its layer may not, with the chain of imports.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleGraph } from './layers/graph.js';
import { checkLayers, describeViolation, LAYER_ROOTS } from './layers/rules.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = performance.now();
const graph = moduleGraph(root, { roots: LAYER_ROOTS });
const violations = checkLayers(graph);
for (const violation of violations) console.error(describeViolation(violation));
const files = [...graph.edges.keys()].length;
const ms = Math.round(performance.now() - started);
if (violations.length > 0) {
  console.error(`layers: ${violations.length} violation(s) in ${files} files`);
  process.exit(1);
}
console.log(`layers: ${files} files checked in ${ms} ms, no file reaches across its layer`);
