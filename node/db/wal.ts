import path from 'node:path';

/**
 * Log before data (DESIGN.md "Durability", rule 6). PostgreSQL runs with fsync off inside PGlite, so nothing keeps
 * a data page from reaching the disk before the WAL that describes it. This tracks the WAL written and not yet
 * synced, and says when a write must wait for it — at the cost PostgreSQL itself would pay: a relation page whose
 * LSN is already covered by synced WAL goes straight through; anything else waits for the written WAL.
 */
export class WalOrder {
  /** Each WAL file written since its last sync, with the lowest LSN written to it. */
  readonly #dirty = new Map<string, number>();
  readonly #walDir: string;
  readonly #relationDirs: string[];

  constructor(root: string) {
    this.#walDir = path.join(root, 'pg_wal') + path.sep;
    this.#relationDirs = [path.join(root, 'base') + path.sep, path.join(root, 'global') + path.sep];
  }

  isWal(file: string): boolean {
    return file.startsWith(this.#walDir);
  }

  wrote(file: string, position: number): void {
    const lsn = walLsn(file, position);
    this.#dirty.set(file, Math.min(lsn, this.#dirty.get(file) ?? lsn));
  }

  synced(file: string): void {
    this.#dirty.delete(file);
  }

  clear(): void {
    this.#dirty.clear();
  }

  /** The WAL files to sync before this change of a non-WAL file (none when what it needs is already synced). */
  mustSyncBefore(file: string, bytes?: Uint8Array, position?: number): string[] {
    if (this.#dirty.size === 0 || this.isWal(file)) return [];
    const needed = bytes && position !== undefined && this.#isRelation(file) ? pagesLsn(bytes, position) : Infinity;
    return Math.min(...this.#dirty.values()) < needed ? [...this.#dirty.keys()] : [];
  }

  #isRelation(file: string): boolean {
    return this.#relationDirs.some((dir) => file.startsWith(dir)) && RELATION_FILE.test(path.basename(file));
  }
}

/** PGlite's initdb uses PostgreSQL's default; a test pins it (`SHOW wal_segment_size`). */
export const WAL_SEGMENT_BYTES = 16 * 1024 * 1024;
const PAGE_BYTES = 8192;
const SEGMENT_NAME = /^[0-9A-F]{8}([0-9A-F]{8})([0-9A-F]{8})$/;
/** A relation's main fork, free-space map, visibility map or init fork, or a further 1 GB segment of one. */
const RELATION_FILE = /^\d+(_fsm|_vm|_init)?(\.\d+)?$/;

/** The LSN at `position` of WAL segment `file` (named TTTTTTTTLLLLLLLLSSSSSSSS); 0 for a file of another name. */
export function walLsn(file: string, position: number): number {
  const match = SEGMENT_NAME.exec(path.basename(file));
  if (!match) return 0;
  return Number.parseInt(match[1]!, 16) * 2 ** 32 + Number.parseInt(match[2]!, 16) * WAL_SEGMENT_BYTES + position;
}

/**
 * The WAL a write of whole relation pages needs on disk first: the highest pd_lsn (the page header's first 8 bytes,
 * little endian on WASM) among them. Infinity for a write not shaped like whole pages.
 */
export function pagesLsn(bytes: Uint8Array, position: number): number {
  if (position % PAGE_BYTES !== 0 || bytes.length === 0 || bytes.length % PAGE_BYTES !== 0) return Infinity;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let highest = 0;
  for (let at = 0; at < bytes.length; at += PAGE_BYTES) {
    highest = Math.max(highest, view.getUint32(at, true) * 2 ** 32 + view.getUint32(at + 4, true));
  }
  return highest;
}
