import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import ts from 'typescript';
import { BOOTSTRAP_CHANNEL } from './bootstrap.js';
import { fake } from './testing/fake-electron.js';

// For bootstrap.js, imported to compare channel names; the preload itself gets the fake through its require.
vi.mock('electron', () => import('./testing/fake-electron.js').then((m) => m.fake));

/**
 * The preload runs in Electron's sandbox, not as a module we can import: Electron wraps the compiled CommonJS in
 * `function (require, process, exports, module)` with a `require` that knows only a few modules. So the test does
 * the same with tsc's output and the fake, which also proves the preload needs nothing but 'electron'.
 */
function runPreload(): { required: string[] } {
  const source = readFileSync(new URL('./preload.cts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: 'preload.cts',
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  const required: string[] = [];
  const sandboxRequire = (name: string): unknown => {
    required.push(name);
    if (name !== 'electron') throw new Error(`module not found: ${name}`);
    return fake;
  };
  const exports = {};
  const wrapper = new Function('require', 'process', 'exports', 'module', outputText);
  wrapper(sandboxRequire, {}, exports, { exports });
  return { required };
}

describe('preload', () => {
  fake.reset();
  const { required } = runPreload();
  const exposed = fake.exposed;

  it('requires nothing but electron', () => {
    expect(required).toEqual(['electron']);
  });

  it('exposes exactly one frozen key, mostrador, with only bootstrap', () => {
    expect([...exposed.keys()]).toEqual(['mostrador']);
    const api = exposed.get('mostrador') as Record<string, unknown>;
    expect(Object.isFrozen(api)).toBe(true);
    expect(Reflect.ownKeys(api)).toEqual(['bootstrap']);
    expect(typeof api.bootstrap).toBe('function');
  });

  it('bootstrap invokes the bootstrap channel and forwards no arguments from the page', async () => {
    const api = exposed.get('mostrador') as { bootstrap: (...args: unknown[]) => Promise<unknown> };
    await api.bootstrap('--inject', { evil: true });
    expect(fake.invoked).toEqual([{ channel: BOOTSTRAP_CHANNEL, args: [] }]);
  });
});
