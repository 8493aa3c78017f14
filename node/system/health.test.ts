import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test/support/tmp.js';
import { lastExport } from './health.js';

describe('the last journal export', () => {
  const temp = useTempDirs('mostrador-exports-');

  it('is null when there has never been one, and the newest file of exports/ otherwise', () => {
    const dir = temp();
    expect(lastExport(dir)).toBeNull();
    const exports = path.join(dir, 'exports');
    fs.mkdirSync(exports);
    expect(lastExport(dir)).toBeNull();
    const write = (name: string, bytes: number, at: Date) => {
      fs.writeFileSync(path.join(exports, name), Buffer.alloc(bytes));
      fs.utimesSync(path.join(exports, name), at, at);
    };
    write('journal-2025-01-01.sqlite', 10, new Date('2025-01-01T23:00:00Z'));
    write('journal-2025-01-02.sqlite', 20, new Date('2025-01-02T23:00:00Z'));
    write('.journal-2025-01-03.sqlite.tmp', 5, new Date('2025-01-03T23:00:00Z'));
    fs.mkdirSync(path.join(exports, 'later'));
    expect(lastExport(dir)).toEqual({ at: '2025-01-02T23:00:00.000Z', file: 'journal-2025-01-02.sqlite', bytes: 20 });
  });
});
