import fs from 'node:fs';
import path from 'node:path';

/**
 * A database folder's on-disk format, read from the folder itself the way PostgreSQL checks it: the major version
 * in PG_VERSION and the catalog version in global/pg_control. An engine upgrade is detected by these, not by the
 * npm version of PGlite (a patch release may keep the format, a minor one may change the PostgreSQL major).
 */
export interface DbFormat {
  pgVersion: string;
  catalogVersion: number;
}

/** What this build's PGlite writes; a test opens a fresh folder and checks it. */
export const ENGINE_FORMAT: DbFormat = { pgVersion: '18', catalogVersion: 202506291 };

/** ControlFileData starts with system_identifier (uint64) and pg_control_version (uint32); catalog_version_no follows. */
const CATALOG_VERSION_OFFSET = 12;

export function readFolderFormat(pgdata: string): DbFormat | undefined {
  try {
    const pgVersion = fs.readFileSync(path.join(pgdata, 'PG_VERSION'), 'utf8').trim();
    const control = Buffer.alloc(CATALOG_VERSION_OFFSET + 4);
    const fd = fs.openSync(path.join(pgdata, 'global', 'pg_control'), 'r');
    try {
      if (fs.readSync(fd, control, 0, control.length, 0) < control.length) return undefined;
    } finally {
      fs.closeSync(fd);
    }
    return { pgVersion, catalogVersion: control.readUInt32LE(CATALOG_VERSION_OFFSET) };
  } catch {
    return undefined;
  }
}

export const sameFormat = (a: DbFormat, b: DbFormat): boolean => a.pgVersion === b.pgVersion && a.catalogVersion === b.catalogVersion;

export const describeFormat = (f: DbFormat): string => `PostgreSQL ${f.pgVersion} (catalog ${f.catalogVersion})`;
