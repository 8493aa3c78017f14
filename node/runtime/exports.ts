import fs from 'node:fs';
import path from 'node:path';
import { exportJournal } from '../cli/journal-file.js';
import { createLogger } from '../log.js';
import { syncDir } from './datadir.js';
import type { OpenStore } from './open.js';

const log = createLogger('exports');

/**
 * A recent journal export always exists beside the database (DESIGN.md "Durability", rule 5): written by the version
 * that wrote the folder, daily and after each Z close, so an engine upgrade or a damaged folder is one
 * `mostrador rebuild` away. The newest few are kept in `<data folder>/exports/`.
 */
export const KEEP_EXPORTS = 3;
export const EXPORT_EVERY_MS = 24 * 60 * 60 * 1000;
/** How often the daily export checks whether one is due (a laptop asleep at the hour still exports on waking). */
export const EXPORT_CHECK_MS = 60 * 60 * 1000;
const FIRST_CHECK_MS = 60_000;
const NAME = /^journal-(\d{8}T\d{9}Z)\.sqlite$/;

export const exportsDir = (dataDir: string): string => path.join(dataDir, 'exports');

/** The newest export in the folder, if any. */
export function latestExport(dataDir: string): string | undefined {
  const names = listExports(dataDir);
  return names.length > 0 ? path.join(exportsDir(dataDir), names[names.length - 1]!) : undefined;
}

const running = new Map<string, Promise<string>>();

/** Exports the journal now (after the ones in flight for this folder), keeps the newest few; resolves with the file. */
export function exportJournalNow(store: Pick<OpenStore, 'db' | 'identity' | 'dataDir'>, now = new Date()): Promise<string> {
  const previous = running.get(store.dataDir) ?? Promise.resolve('');
  const next = previous.catch(() => '').then(() => writeExport(store, now));
  running.set(store.dataDir, next);
  void next.finally(() => running.get(store.dataDir) === next && running.delete(store.dataDir)).catch(() => undefined);
  return next;
}

async function writeExport(store: Pick<OpenStore, 'db' | 'identity' | 'dataDir'>, now: Date): Promise<string> {
  const dir = exportsDir(store.dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `journal-${now.toISOString().replace(/[-:.]/g, '')}.sqlite`);
  const started = performance.now();
  const { events } = await exportJournal(store.db, store.identity, file);
  for (const old of listExports(store.dataDir).slice(0, -KEEP_EXPORTS)) fs.rmSync(path.join(dir, old), { force: true });
  syncDir(dir);
  log.info({ file, events, ms: Math.round(performance.now() - started) }, 'journal exported');
  return file;
}

function listExports(dataDir: string): string[] {
  try {
    return fs.readdirSync(exportsDir(dataDir)).filter((name) => NAME.test(name)).sort();
  } catch {
    return [];
  }
}

function exportedAt(file: string): number {
  const stamp = NAME.exec(path.basename(file))![1]!;
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}.${stamp.slice(15, 18)}Z`;
  return Date.parse(iso);
}

/** True when the newest export is older than a day (or there is none). */
export function exportDue(dataDir: string, now = Date.now()): boolean {
  const latest = latestExport(dataDir);
  return latest === undefined || now - exportedAt(latest) >= EXPORT_EVERY_MS;
}

/** The daily export; `stop` clears it and waits for an export in flight, so the database can close under it. */
export function scheduleJournalExports(store: OpenStore): { stop(): Promise<void> } {
  const check = () => {
    if (!exportDue(store.dataDir)) return;
    exportJournalNow(store).catch((error: unknown) => log.error({ err: error }, 'daily journal export failed'));
  };
  const first = setTimeout(check, FIRST_CHECK_MS);
  const every = setInterval(check, EXPORT_CHECK_MS);
  first.unref();
  every.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(every);
      await running.get(store.dataDir)?.catch(() => undefined);
    },
  };
}
