import type { User, UserTile } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { ReadDb } from '../db/types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Actor ids are person ids once people sign in; before that the installation acts as "owner". */
export const isPersonId = (id: string): boolean => UUID.test(id);

const SELECT = `
SELECT u.id::text AS id, u.name, u.role, u.active, u.version, u.created_at AS "createdAt", u.updated_at AS "updatedAt",
  EXISTS (SELECT 1 FROM user_credential c WHERE c.store_id = u.store_id AND c.user_id = u.id AND c.kind = 'pin') AS "hasPin",
  EXISTS (SELECT 1 FROM user_credential c WHERE c.store_id = u.store_id AND c.user_id = u.id AND c.kind = 'password') AS "hasPassword"
FROM users u WHERE u.store_id = $1 AND u.created_at IS NOT NULL`;

type Row = Omit<User, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };

const toUser = (r: Row): User => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });
export const toTile = ({ id, name, role, hasPin, hasPassword }: User): UserTile => ({ id, name, role, hasPin, hasPassword });

/** People in the order a sign-in screen shows them (by name, accents aside as Spanish readers expect). */
export async function listUsers(db: ReadDb, storeId: string, activeOnly: boolean): Promise<User[]> {
  const rows = await db.query<Row>(`${SELECT}${activeOnly ? ' AND u.active' : ''} ORDER BY lower(u.name), u.id`, [storeId]);
  return rows.map(toUser);
}

export async function findUser(db: ReadDb, storeId: string, id: string): Promise<User | undefined> {
  if (!isPersonId(id)) return undefined;
  const [row] = await db.query<Row>(`${SELECT} AND u.id = $2::uuid`, [storeId, id]);
  return row ? toUser(row) : undefined;
}

export async function getUser(db: ReadDb, storeId: string, id: string): Promise<User> {
  const user = await findUser(db, storeId, id);
  if (!user) throw AppError.t('NotFound', 'userNotFound');
  return user;
}
