import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { exportStatusSchema, journalStatusSchema } from '../../shared/contract/index.js';
import type { ReadDb } from '../db/types.js';
import { verifyDeviceChain } from '../journal/verify.js';
import { createLogger } from '../log.js';

const log = createLogger('health');
const VERIFY_EVERY_MS = 24 * 60 * 60 * 1000;

type JournalStatus = z.infer<typeof journalStatusSchema>;
type Verification = NonNullable<JournalStatus['verification']>;
type ExportStatus = z.infer<typeof exportStatusSchema>;

/**
 * What the owner's home screen says about the data: how much this device has recorded and whether its hash chain
 * still checks out. The check walks the whole journal, so it runs in the background (at the first status asked for,
 * then at most daily) and the status carries the last result.
 */
export function journalHealth(db: ReadDb, storeId: string, deviceId: string): () => Promise<JournalStatus> {
  let verification: Verification | null = null;
  let running = false;
  const verifyIfDue = () => {
    if (running || (verification && Date.now() - Date.parse(verification.at) < VERIFY_EVERY_MS)) return;
    running = true;
    verifyDeviceChain(db, storeId, deviceId)
      .then((report) => {
        verification = { at: new Date().toISOString(), ok: report.ok, checked: report.checked };
        if (!report.ok) log.error({ report }, 'the journal hash chain does not verify');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'journal verification could not run'))
      .finally(() => (running = false));
  };
  return async () => {
    verifyIfDue();
    const [head] = await db.query<{ seq: number; at: Date | null }>(
      `SELECT h.seq, e.created_at AS at FROM journal_head h
         LEFT JOIN events e ON e.store_id = h.store_id AND e.device_id = h.device_id AND e.device_seq = h.seq
        WHERE h.store_id = $1 AND h.device_id = $2`,
      [storeId, deviceId],
    );
    return { events: head?.seq ?? 0, lastEventAt: head?.at ? new Date(head.at).toISOString() : null, verification };
  };
}

/** The newest file in the data folder's `exports/` (journal exports written by the daily job), if any. */
export function lastExport(dataDir: string): ExportStatus | null {
  const dir = path.join(dataDir, 'exports');
  let newest: ExportStatus | null = null;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return null;
  }
  for (const name of names) {
    const stat = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
    if (!stat?.isFile() || name.startsWith('.')) continue;
    if (!newest || stat.mtimeMs > Date.parse(newest.at)) newest = { at: stat.mtime.toISOString(), file: name, bytes: stat.size };
  }
  return newest;
}
