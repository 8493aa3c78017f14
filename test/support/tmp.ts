import { afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temporary folder; removed by the returned function. */
export function tempDir(prefix = 'mostrador-'): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** For a test file: `const temp = useTempDirs()`, then `temp()` gives a fresh folder, removed after each test. */
export function useTempDirs(prefix = 'mostrador-'): () => string {
  const made: (() => void)[] = [];
  afterEach(() => made.splice(0).forEach((remove) => remove()));
  return () => {
    const t = tempDir(prefix);
    made.push(t.remove);
    return t.dir;
  };
}
