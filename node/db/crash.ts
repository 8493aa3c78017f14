import fs from 'node:fs';
import type { SyncingFs, WriteObserver } from './syncfs.js';

interface Undo {
  /** The file's size at its last sync: what a disk would hold after a cut. */
  size: number;
  /** Bytes overwritten since the last sync, oldest last-applied (restored in reverse order). */
  patches: { position: number; bytes: Buffer }[];
}

/**
 * Simulates a power cut for tests (DESIGN.md "Durability", rule 3). It keeps an undo record of every byte written
 * since each file's last sync; at the cut the filesystem stops accepting anything and every unsynced write is
 * rolled back, so the folder holds exactly what a disk would: files created or renamed survive (metadata), their
 * unsynced bytes do not. The cut fires before the Nth write or sync (`cutAt`), or when `cut()` is called.
 */
export class PowerCut implements WriteObserver {
  #files = new Map<string, Undo>();
  #steps = 0;
  #fs: SyncingFs | undefined;
  #done = false;
  #signal!: () => void;
  /** Settles when the power is cut. PGlite may never answer a call in flight at the cut (its WASM engine can stop
   * mid-PANIC), as a real process would never answer: race calls against this. */
  readonly whenCut = new Promise<void>((resolve) => (this.#signal = resolve));

  #cutAt: number | undefined;

  constructor(cutAt?: number) {
    this.#cutAt = cutAt;
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

  beforeWrite(file: string, fd: number, position: number, length: number): void {
    this.#tick();
    const undo = this.#undoOf(file);
    const end = Math.min(position + length, undo.size);
    if (position < end) {
      const bytes = Buffer.alloc(end - position);
      fs.readSync(fd, bytes, 0, bytes.length, position);
      undo.patches.push({ position, bytes });
    }
  }

  beforeTruncate(file: string, length: number): void {
    this.#tick();
    const undo = this.#undoOf(file);
    if (length < undo.size) {
      const bytes = Buffer.alloc(undo.size - length);
      const fd = fs.openSync(file, 'r');
      try {
        fs.readSync(fd, bytes, 0, bytes.length, length);
      } finally {
        fs.closeSync(fd);
      }
      undo.patches.push({ position: length, bytes });
    }
  }

  created(file: string): void {
    this.#files.set(file, { size: 0, patches: [] });
  }

  renamed(from: string, to: string): void {
    this.#files.delete(to);
    const undo = this.#files.get(from);
    this.#files.delete(from);
    if (undo) this.#files.set(to, undo);
  }

  removed(file: string): void {
    this.#files.delete(file);
  }

  beforeSync(): void {
    this.#tick();
  }

  synced(file: string): void {
    this.#files.delete(file);
  }

  /** Cuts the power now: the filesystem refuses everything after this and unsynced bytes are gone. */
  cut(): void {
    if (this.#done) return;
    this.#done = true;
    this.#signal();
    this.#fs?.detach();
    for (const [file, undo] of this.#files) {
      if (!fs.existsSync(file)) continue;
      const fd = fs.openSync(file, 'r+');
      try {
        for (const patch of undo.patches.toReversed()) fs.writeSync(fd, patch.bytes, 0, patch.bytes.length, patch.position);
        fs.ftruncateSync(fd, undo.size);
      } finally {
        fs.closeSync(fd);
      }
    }
    this.#files.clear();
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

  #tick(): void {
    this.#steps++;
    if (this.#cutAt !== undefined && this.#steps === this.#cutAt) {
      this.cut();
    }
  }

  #undoOf(file: string): Undo {
    let undo = this.#files.get(file);
    if (!undo) {
      undo = { size: fs.statSync(file).size, patches: [] };
      this.#files.set(file, undo);
    }
    return undo;
  }
}
