import fs from 'node:fs';
import path from 'node:path';
import { GENESIS_HASH } from '../../shared/events.js';
import { installBase, stageChunk } from '../journal/horizon.js';
import { applyRemoteEvents } from '../journal/remote.js';
import { verifyDeviceChain, verifyReadModels, type ChainReport, type Drift } from '../journal/verify.js';
import { allProjections, route } from '../domains.js';
import { openDataDir } from '../runtime/open.js';
import { pgDataDir, readyMarker, syncDir } from '../runtime/datadir.js';
import { ENGINE_FORMAT, readFolderFormat, sameFormat } from '../runtime/format.js';
import { readJournal, verifyJournalFile } from './journal-file.js';

export interface RebuildReport {
  events: number;
  chain: ChainReport;
  drift: Drift[];
  head: string;
  /** Where a database of another format that held the folder was moved (never deleted). */
  setAside: string | undefined;
}

/**
 * A fresh data folder replayed from a journal file: the same device and store, every event through the same
 * projector as live commands, the chain head restored, then the chain and the read models verified.
 */
export async function rebuildFromJournal(file: string, dataDir: string): Promise<RebuildReport> {
  const journal = readJournal(file);
  const problem = verifyJournalFile(journal);
  if (problem) throw new Error(`the journal file is damaged: ${problem.kind} at event ${problem.event_id} (device ${problem.device_id}, seq ${problem.device_seq}): ${problem.detail}`);
  const moved = setAsideOtherFormat(dataDir);
  if (fs.existsSync(pgDataDir(dataDir)) && fs.readdirSync(pgDataDir(dataDir)).length > 0) {
    throw new Error(`${dataDir} already holds a database; rebuild into a new, empty folder`);
  }
  const { store_id: storeId, device_id: deviceId, currency, role } = journal.meta as Record<string, string>;
  const store = await openDataDir(dataDir, {
    role: role === 'central' ? 'central' : 'terminal',
    purpose: 'mostrador rebuild',
    identity: { storeId: storeId!, deviceId: deviceId!, currency: currency!, nodeRole: role === 'central' ? 'central' : 'terminal' },
  });
  try {
    // Device by device, each in chain order: projections give the same rows in any such interleaving.
    const scope = { storeId: storeId!, deviceId: deviceId!, mode: 'rebuild' as const };
    // A node that joined from a snapshot starts again from it: its devices' events start above the horizons.
    const base = journal.base;
    if (base) {
      await store.db.write(async (tx) => {
        for (const [i, chunk] of base.chunks.entries()) await stageChunk(tx, scope.storeId, chunk.projection, i, chunk.rows);
        await installBase(tx, scope, base.horizons, allProjections);
      });
    }
    let events = 0;
    for (const stream of journal.devices.values()) {
      for (let i = 0; i < stream.length; i += 2000) {
        const result = await applyRemoteEvents(store.db, scope, stream.slice(i, i + 2000), route);
        if (result.refused.length > 0 || result.parked.length > 0) {
          throw new Error(`rebuild could not apply events: ${JSON.stringify([...result.refused, ...result.parked].slice(0, 3))}`);
        }
        events += result.applied;
      }
    }
    const own = journal.devices.get(deviceId!) ?? [];
    const last = own[own.length - 1];
    await store.db.write(async (tx) => {
      await tx.query(
        `INSERT INTO command_results (store_id, command_id, method, input_hash, result, actor_id, created_at)
         SELECT $1, c.command_id, c.method, c.input_hash, c.result, c.actor_id, c.created_at
         FROM jsonb_to_recordset($2::jsonb) AS c(command_id uuid, method text, input_hash text, result jsonb, actor_id text, created_at timestamptz)
         ON CONFLICT DO NOTHING`,
        [storeId, JSON.stringify(journal.commands)],
      );
      if (store.identity.nodeRole === 'terminal') {
        // Nothing says which of these the central already holds: it stores them idempotently, so send them all again.
        await tx.query(
          `INSERT INTO outbox (store_id, device_seq, event_id) SELECT store_id, device_seq, event_id FROM events
           WHERE store_id = $1 AND device_id = $2 ON CONFLICT DO NOTHING`,
          [storeId, deviceId],
        );
      }
    });
    const chain = await verifyDeviceChain(store.db, storeId!, deviceId!);
    const drift = await verifyReadModels(store.db, storeId!, allProjections, route);
    return { events, chain, drift, head: last?.hash ?? GENESIS_HASH, setAside: moved };
  } finally {
    await store.close();
  }
}

/**
 * After an engine upgrade the folder still holds the old database, which this engine cannot open: it is moved to
 * quarantine/ (with its ready marker) so the same folder is rebuilt in place, and the old one stays for whoever
 * needs it.
 */
function setAsideOtherFormat(dataDir: string): string | undefined {
  const format = readFolderFormat(pgDataDir(dataDir));
  if (!format || sameFormat(format, ENGINE_FORMAT)) return undefined;
  const target = path.join(dataDir, 'quarantine', `pgdata-pg${format.pgVersion}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(target, { recursive: true });
  fs.renameSync(pgDataDir(dataDir), path.join(target, 'pgdata'));
  if (fs.existsSync(readyMarker(dataDir))) fs.renameSync(readyMarker(dataDir), path.join(target, path.basename(readyMarker(dataDir))));
  syncDir(target);
  syncDir(dataDir);
  return target;
}
