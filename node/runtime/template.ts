import fs from 'node:fs';
import path from 'node:path';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openPglite, PGLITE_VERSION } from '../db/pglite.js';
import { syncDir, syncTree } from './datadir.js';
import { ENGINE_FORMAT, readFolderFormat, sameFormat } from './format.js';
import { migrationsDir, packageRoot } from './paths.js';

/**
 * A terminal's empty, migrated database, made once at build time. PGlite's initdb takes seconds of WASM work on
 * every new folder; copying a ready-made one takes a fraction of that, so a new till opens quickly. It carries no
 * identity: the device and store are made when the copy is opened.
 */
export const templateDir = (): string => path.join(packageRoot(), 'dist', 'pgdata-template');
const MANIFEST = 'mostrador-template.json';

export async function buildTemplate(target = templateDir()): Promise<void> {
  const staging = `${target}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  const db = await openPglite(staging);
  try {
    await migrate(db, loadMigrations(migrationsDir(), 'terminal'));
  } finally {
    await db.close();
  }
  fs.writeFileSync(path.join(staging, MANIFEST), JSON.stringify({ engineVersion: PGLITE_VERSION }));
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
}

/** Copies the template into an empty database folder and syncs every file of it; false when there is no usable one. */
export function copyTemplate(pgdata: string, template = templateDir()): boolean {
  // The manifest says the template was finished; its format is read from the database itself.
  const format = readFolderFormat(template);
  if (!fs.existsSync(path.join(template, MANIFEST)) || !format || !sameFormat(format, ENGINE_FORMAT)) return false;
  fs.cpSync(template, pgdata, { recursive: true, filter: (src) => path.basename(src) !== MANIFEST });
  syncTree(pgdata);
  syncDir(path.dirname(pgdata));
  return true;
}
