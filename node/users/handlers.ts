import type { usersDomain } from '../../shared/domains/users.js';
import { AppError } from '../../shared/errors.js';
import type { DomainHandlers } from '../domain.js';
import type { CommandContext, Decision } from '../journal/command.js';
import { listAudit } from './audit.js';
import { ownerReady, saveCredential, type CredentialKind } from './credentials.js';
import { decideCreate, decideUpdate, isManager, type UserChanges } from './decide.js';
import { usersProjection } from './projection.js';
import { getUser, listUsers, toTile } from './queries.js';
import { approve, me, signIn, signOut } from './signin.js';

type UserOut = Awaited<ReturnType<typeof getUser>>;

/** The answer of a command about one person, read after its events are projected and its credentials written. */
const userAfter = (ctx: CommandContext, id: string): Decision<UserOut>['result'] => async () => getUser(ctx.records, ctx.store.storeId, id);

const credentialScope = (ctx: CommandContext) => ({ storeId: ctx.store.storeId, deviceId: ctx.deviceId, now: ctx.now });

/** Owner for anyone, anyone for themselves (their own PIN, a supervisor's own password). */
function assertMayChangeCredential(ctx: CommandContext, userId: string): void {
  if (ctx.staffRole !== 'owner' && ctx.actorId !== userId) throw AppError.t('Forbidden', 'onlyOwnCredential');
}

async function activeOwners(ctx: CommandContext): Promise<number> {
  const [row] = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE store_id = $1 AND role = 'owner' AND active", [ctx.store.storeId]);
  return Number(row?.n ?? 0);
}

async function update(ctx: CommandContext, id: string, patch: UserChanges): Promise<Decision<UserOut>> {
  const current = await ctx.get(usersProjection, id);
  return { events: decideUpdate(current, id, patch, await activeOwners(ctx)), result: userAfter(ctx, id) };
}

async function setCredential(ctx: CommandContext, userId: string, kind: CredentialKind, secret: string): Promise<Decision<UserOut>> {
  assertMayChangeCredential(ctx, userId);
  const current = await ctx.get(usersProjection, userId);
  if (!current || current.createdAt === null) throw AppError.t('NotFound', 'userNotFound');
  if (kind === 'password' && !isManager(current.role)) throw AppError.t('ValidationError', 'passwordForManagers');
  await saveCredential(ctx.records, credentialScope(ctx), userId, kind, secret);
  return { events: [], result: userAfter(ctx, userId) };
}

/** People and sign-in: commands journal who the people are; credentials and sessions stay outside the journal. */
export const usersHandlers: DomainHandlers<typeof usersDomain> = {
  async 'users.directory'(_input, ctx) {
    const users = await listUsers(ctx.db, ctx.store.storeId, true);
    return { setupNeeded: !(await ownerReady(ctx.db, ctx.store.storeId)), users: users.map(toTile) };
  },
  'users.me': (_input, ctx) => me(ctx),
  'users.list': async (_input, ctx) => ({ items: await listUsers(ctx.db, ctx.store.storeId, false) }),
  'users.signIn': (input, ctx) => signIn(input, ctx),
  'users.signOut': async (_input, ctx) => ({ signedOut: signOut(ctx) }),
  'users.approve': (input, ctx) => approve(input, ctx),
  'audit.list': (input, ctx) => listAudit(ctx.db, ctx.store.storeId, input),

  async 'users.setupOwner'(ctx, input) {
    if (await ownerReady(ctx.db, ctx.store.storeId)) throw AppError.t('Conflict', 'ownerAlreadySet');
    const id = ctx.newKey(usersProjection);
    await saveCredential(ctx.records, credentialScope(ctx), id, 'password', input.password);
    return { events: decideCreate(id, input.name, 'owner'), result: userAfter(ctx, id) };
  },

  async 'users.create'(ctx, input) {
    if (input.password !== undefined && !isManager(input.role)) throw AppError.t('ValidationError', 'passwordForManagers');
    const id = ctx.newKey(usersProjection);
    if (input.pin !== undefined) await saveCredential(ctx.records, credentialScope(ctx), id, 'pin', input.pin);
    if (input.password !== undefined) await saveCredential(ctx.records, credentialScope(ctx), id, 'password', input.password);
    return { events: decideCreate(id, input.name, input.role), result: userAfter(ctx, id) };
  },

  'users.update': (ctx, input) => update(ctx, input.id, input.patch),
  'users.deactivate': (ctx, input) => update(ctx, input.id, { active: false }),
  'users.setPin': (ctx, input) => setCredential(ctx, input.userId, 'pin', input.pin),
  'users.setPassword': (ctx, input) => setCredential(ctx, input.userId, 'password', input.password),
};
