import fs from 'node:fs';
import path from 'node:path';
import type { SyncingFs, WriteObserver } from './syncfs.js';

type Change = { kind: 'write'; position: number; bytes: Buffer | undefined } | { kind: 'truncate'; length: number };

interface Unsynced {
  /** The file's size at its last sync: what a disk would hold after a cut. */
  size: number;
  /** Bytes overwritten since the last sync, oldest first (restored in reverse order). */
  patches: { position: number; bytes: Buffer }[];
  /** The changes since the last sync in order, for replaying the ones a disk happened to keep. */
  changes: Change[];
}

/** A name made in a folder since the folder's last sync: gone at a cut when `dropUnsyncedEntries` is set. */
type Entry = { kind: 'created'; file: string } | { kind: 'renamed'; from: string; to: string; replaced: Buffer | undefined };

export interface PowerCutOptions {
  /** Cut before the `cutAt`th write or sync. */
  cutAt?: number;
  /**
   * Disks write back in their own order: with a generator (seeded, for replay) each unsynced write or truncation
   * survives the cut with probability 1/2, in the order it was made; without, none survives.
   */
  keepSomeUnsynced?: () => number;
  /** Files created or renamed in a folder that was not synced since vanish, or go back to their old name. */
  dropUnsyncedEntries?: boolean;
}

/**
 * Simulates a power cut for tests (DESIGN.md "Durability", rule 3). It keeps an undo record of every byte written
 * since each file's last sync; at the cut the filesystem stops accepting anything and the folder is set to what a
 * disk could hold: each file as at its last sync, plus (`keepSomeUnsynced`) a random subset of the later writes;
 * names made in a folder that was not synced survive unless `dropUnsyncedEntries`. The cut fires before the Nth
 * write or sync (`cutAt`, `arm`), or when `cut()` is called.
 */
export class PowerCut implements WriteObserver {
  #files = new Map<string, Unsynced>();
  #entries: Entry[] = [];
  #steps = 0;
  #fs: SyncingFs | undefined;
  #done = false;
  #signal!: () => void;
  /** Settles when the power is cut. PGlite may never answer a call in flight at the cut (its WASM engine can stop
   * mid-PANIC), as a real process would never answer: race calls against this. */
  readonly whenCut = new Promise<void>((resolve) => (this.#signal = resolve));

  #cutAt: number | undefined;
  readonly #keep: (() => number) | undefined;
  readonly #dropEntries: boolean;

  constructor(options: PowerCutOptions | number = {}) {
    const o = typeof options === 'number' ? { cutAt: options } : options;
    this.#cutAt = o.cutAt;
    this.#keep = o.keepSomeUnsynced;
    this.#dropEntries = o.dropUnsyncedEntries ?? false;
  }

  /** Cut before the `n`th write or sync from now. */
  arm(n: number): void {
    this.#cutAt = this.#steps + n;
  }

  attach(target: SyncingFs): void {
    this.#fs = target;
  }

  get happened(): boolean {
    return this.#done;
  }

  beforeWrite(file: string, fd: number, position: number, bytes: Uint8Array): void {
    this.#tick();
    if (this.#done) return;
    const unsynced = this.#unsyncedOf(file);
    const end = Math.min(position + bytes.length, unsynced.size);
    if (position < end) {
      const old = Buffer.alloc(end - position);
      fs.readSync(fd, old, 0, old.length, position);
      unsynced.patches.push({ position, bytes: old });
    }
    unsynced.changes.push({ kind: 'write', position, bytes: this.#keep ? Buffer.from(bytes) : undefined });
  }

  beforeTruncate(file: string, length: number): void {
    this.#tick();
    if (this.#done) return;
    const unsynced = this.#unsyncedOf(file);
    if (length < unsynced.size) unsynced.patches.push({ position: length, bytes: readAt(file, length, unsynced.size - length) });
    unsynced.changes.push({ kind: 'truncate', length });
  }

  wroteFile(file: string, data: Uint8Array): void {
    this.#unsyncedOf(file).changes.push({ kind: 'write', position: 0, bytes: this.#keep ? Buffer.from(data) : undefined });
  }

  created(file: string): void {
    this.#files.set(file, { size: 0, patches: [], changes: [] });
    this.#entries.push({ kind: 'created', file });
  }

  renamed(from: string, to: string): void {
    const replaced = this.#dropEntries && fs.existsSync(to) ? fs.readFileSync(to) : undefined;
    this.#entries.push({ kind: 'renamed', from, to, replaced });
    this.#files.delete(to);
    const unsynced = this.#files.get(from);
    this.#files.delete(from);
    if (unsynced) this.#files.set(to, unsynced);
  }

  removed(file: string): void {
    this.#files.delete(file);
    this.#entries = this.#entries.filter((e) => !(e.kind === 'created' && e.file === file));
  }

  beforeSync(): void {
    this.#tick();
  }

  synced(file: string): void {
    this.#files.delete(file);
  }

  dirSynced(dir: string): void {
    this.#entries = this.#entries.filter((e) => path.dirname(e.kind === 'created' ? e.file : e.to) !== dir);
  }

  /** Cuts the power now: the filesystem refuses everything after this and unsynced changes are gone. */
  cut(): void {
    if (this.#done) return;
    this.#done = true;
    this.#signal();
    this.#fs?.detach();
    for (const [file, unsynced] of this.#files) {
      if (fs.existsSync(file)) this.#settle(file, unsynced);
    }
    this.#files.clear();
    if (this.#dropEntries) for (const entry of this.#entries.toReversed()) undoEntry(entry);
    this.#entries = [];
  }

  /**
   * The call's result if it finished before the cut; a rejection if the power was cut first or while it ran (the
   * process would be gone: nothing that completes after the cut was ever acknowledged).
   */
  async race<T>(call: Promise<T>): Promise<T> {
    const cutFirst = this.whenCut.then(() => Promise.reject(new Error('simulated power cut')));
    cutFirst.catch(() => undefined);
    const result = await Promise.race([call, cutFirst]);
    if (this.#done) throw new Error('simulated power cut');
    return result;
  }

  /** Back to the file as last synced, then the changes the disk happened to keep, in their order. */
  #settle(file: string, unsynced: Unsynced): void {
    const fd = fs.openSync(file, 'r+');
    try {
      for (const patch of unsynced.patches.toReversed()) fs.writeSync(fd, patch.bytes, 0, patch.bytes.length, patch.position);
      fs.ftruncateSync(fd, unsynced.size);
      if (!this.#keep) return;
      for (const change of unsynced.changes) {
        if (this.#keep() >= 0.5) continue;
        if (change.kind === 'truncate') fs.ftruncateSync(fd, change.length);
        else fs.writeSync(fd, change.bytes!, 0, change.bytes!.length, change.position);
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  #tick(): void {
    this.#steps++;
    if (this.#cutAt !== undefined && this.#steps === this.#cutAt) {
      this.cut();
    }
  }

  #unsyncedOf(file: string): Unsynced {
    let unsynced = this.#files.get(file);
    if (!unsynced) {
      unsynced = { size: fs.statSync(file).size, patches: [], changes: [] };
      this.#files.set(file, unsynced);
    }
    return unsynced;
  }
}

function readAt(file: string, position: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, bytes, 0, length, position);
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

/** A name whose folder was never synced: the disk never recorded it. */
function undoEntry(entry: Entry): void {
  if (entry.kind === 'created') return void fs.rmSync(entry.file, { force: true });
  if (!fs.existsSync(entry.to)) return;
  fs.renameSync(entry.to, entry.from);
  if (entry.replaced) fs.writeFileSync(entry.to, entry.replaced);
}
