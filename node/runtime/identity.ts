import { newId } from '../../shared/ids.js';
import type { Db } from '../db/types.js';
import type { NodeRole } from '../db/migrate.js';
import { ensureHead } from '../journal/store.js';

export interface Identity {
  deviceId: string;
  storeId: string;
  nodeRole: NodeRole;
  currency: string;
}

/**
 * On first start the node creates its device (and the start of its journal chain) and, until it enrolls, a standalone store of its own, so a single-till
 * shop needs nothing else (DESIGN.md "Identity and sessions").
 */
export async function ensureIdentity(db: Db, role: NodeRole, currency: string, given?: Identity): Promise<Identity> {
  const existing = await readIdentity(db);
  if (existing && given && (existing.deviceId !== given.deviceId || existing.storeId !== given.storeId)) {
    throw new Error('this data folder already belongs to another device; rebuild into an empty folder');
  }
  if (existing) {
    if (existing.nodeRole !== role) throw new Error(`this data folder belongs to a ${existing.nodeRole}, not a ${role}`);
    return existing;
  }
  const identity: Identity = given ?? { deviceId: newId(), storeId: newId(), nodeRole: role, currency };
  await db.write(async (tx) => {
    await tx.query(
      'INSERT INTO node_identity (device_id, store_id, role, currency) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [identity.deviceId, identity.storeId, role, currency],
    );
    await ensureHead(tx, identity.storeId, identity.deviceId);
  });
  const stored = await readIdentity(db);
  if (!stored) throw new Error('identity was not stored');
  return stored;
}

async function readIdentity(db: Db): Promise<Identity | undefined> {
  const [row] = await db.query<{ device_id: string; store_id: string; role: NodeRole; currency: string }>(
    'SELECT device_id, store_id, role, currency FROM node_identity',
  );
  return row && { deviceId: row.device_id, storeId: row.store_id, nodeRole: row.role, currency: row.currency };
}
