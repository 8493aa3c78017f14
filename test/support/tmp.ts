import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temporary folder; removed by the returned function. */
export function tempDir(prefix = 'mostrador-'): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
