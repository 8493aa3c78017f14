// Lint checks the direction of dependencies between the layers (DESIGN.md "Layout"): shared/ imports none of the
// others and no Node, DOM or Electron; node/, renderer/ and electron/ import shared/ and never each other.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'inspector', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'querystring',
  'readline', 'stream', 'string_decoder', 'timers', 'tls', 'tty', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

const layer = (name) => ({ group: [`**/${name}/**`, `../${name}`, `../../${name}`], message: `${name}/ is another layer` });
const nodeApis = { group: ['node:*', ...nodeBuiltins], message: 'Node APIs belong in node/ or electron/' };
const electronApi = { group: ['electron', 'electron/*'], message: 'Electron APIs belong in electron/' };
const domLibs = { group: ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*'], message: 'UI libraries belong in renderer/' };

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'scratch/**'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.cts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { 'no-console': 'error' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      ...restrict(layer('node'), layer('renderer'), layer('electron'), nodeApis, electronApi, domLibs),
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', 'window', 'document', '__dirname'],
    },
  },
  { files: ['node/**/*.ts'], rules: restrict(layer('renderer'), layer('electron'), electronApi, domLibs) },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      ...restrict(layer('node'), layer('electron'), nodeApis, electronApi),
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  { files: ['electron/**/*.ts', 'electron/**/*.cts'], rules: restrict(layer('node'), layer('renderer'), domLibs) },
  { files: ['bench/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', '**/*.test.ts'], rules: { 'no-console': 'off' } },
);
