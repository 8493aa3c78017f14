// The layer rules of eslint.config.js (DESIGN.md "Layout"), proven against the real config: an import across the
// line fails lint, an allowed one passes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: repoRoot });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const absolute = path.join(repoRoot, filePath);
  // An ignored path would pass vacuously.
  expect(await eslint.isPathIgnored(absolute), `${filePath} is ignored by eslint`).toBe(false);
  const [result] = await eslint.lintText(code, { filePath: absolute });
  expect(result, `no lint result for ${filePath}`).toBeDefined();
  const fatal = result!.messages.filter((m) => m.fatal);
  expect(fatal, `parse error in the sample for ${filePath}`).toEqual([]);
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

describe('layer direction (eslint.config.js)', () => {
  it('refuses node/ code imported from renderer/', async () => {
    const messages = await restrictedImports(
      'renderer/backoffice/sample.tsx',
      "import { startNode } from '../../node/app.js';\nexport const x = startNode;\n",
    );
    expect(messages.join('\n')).toMatch(/node\/ is another layer/);
  });

  it('refuses renderer/ code imported from node/', async () => {
    const messages = await restrictedImports(
      'node/api/sample.ts',
      "import { useApp } from '../../renderer/state/index.js';\nexport const x = useApp;\n",
    );
    expect(messages.join('\n')).toMatch(/renderer\/ is another layer/);
  });

  it('refuses Node APIs in shared/', async () => {
    const messages = await restrictedImports('shared/sample.ts', "import fs from 'node:fs';\nexport const x = fs;\n");
    expect(messages.join('\n')).toMatch(/Node APIs belong in node\/ or electron\//);
  });

  it('refuses node/ code imported from electron/', async () => {
    const messages = await restrictedImports(
      'electron/sample.ts',
      "import { startNode } from '../node/app.js';\nexport const x = startNode;\n",
    );
    expect(messages.join('\n')).toMatch(/node\/ is another layer/);
  });

  it('allows shared/ imported from node/', async () => {
    const messages = await restrictedImports(
      'node/api/sample.ts',
      "import { AppError } from '../../shared/errors.js';\nexport const x = AppError;\n",
    );
    expect(messages).toEqual([]);
  });
});
