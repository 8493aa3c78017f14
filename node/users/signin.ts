import type { ParsedInputOf, OutputOf } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { LocalContext, QueryContext } from '../domain.js';
import { grantApproval } from './approvals.js';
import { credentialOf, verifySecret, type CredentialKind } from './credentials.js';
import { isManager } from './decide.js';
import { assertNotLocked, recordFailure, recordSuccess, type FailureKind } from './lockout.js';
import { PersonGate } from './persons.js';
import { findUser, getUser, toTile } from './queries.js';

type User = Awaited<ReturnType<typeof getUser>>;

/**
 * Checks a person's PIN or password: refused at once while they are locked out; a wrong one is a local security
 * record and counts toward their lockout (per person, whatever screen or address it came from).
 */
async function verifyPerson(ctx: LocalContext, user: User, kind: CredentialKind, secret: string, failure: FailureKind, details: Record<string, unknown>) {
  const { storeId } = ctx.store;
  const now = new Date();
  await assertNotLocked(ctx.db, storeId, user.id, now);
  const stored = await credentialOf(ctx.db, storeId, user.id, kind);
  if (!stored) throw AppError.t('Forbidden', 'credentialMissing', { what: kind });
  if (!(await verifySecret(secret, stored))) throw await recordFailure(ctx.db, storeId, user.id, failure, { ...details, by: kind }, now);
  await recordSuccess(ctx.db, storeId, user.id);
}

async function activeUser(ctx: LocalContext, id: string): Promise<User> {
  const user = await getUser(ctx.db, ctx.store.storeId, id);
  if (!user.active) throw AppError.t('Forbidden', 'userInactive');
  return user;
}

/** Cashiers and stock clerks with their PIN, the owner and supervisors with their password. */
export async function signIn(input: ParsedInputOf<'users.signIn'>, ctx: LocalContext): Promise<OutputOf<'users.signIn'>> {
  const user = await activeUser(ctx, input.userId);
  const manager = isManager(user.role);
  if (manager && input.password === undefined) throw AppError.t('ValidationError', 'managersUsePassword');
  if (!manager && input.pin === undefined) throw AppError.t('ValidationError', 'staffUsePin');
  const kind: CredentialKind = manager ? 'password' : 'pin';
  await verifyPerson(ctx, user, kind, (manager ? input.password : input.pin)!, 'signInFailed', {});
  const gate = PersonGate.of(ctx.db);
  const token = gate.open({ userId: user.id, name: user.name, role: user.role });
  return { token, user: toTile(user), idleSeconds: Math.round(gate.idleMs / 1000) };
}

export function signOut(ctx: LocalContext): boolean {
  return PersonGate.of(ctx.db).close(ctx.principal.person);
}

export async function me(ctx: QueryContext): Promise<OutputOf<'users.me'>> {
  const idleSeconds = Math.round(PersonGate.of(ctx.db).idleMs / 1000);
  const user = ctx.principal.person ? await findUser(ctx.db, ctx.store.storeId, ctx.principal.actorId) : undefined;
  return { user: user ? toTile(user) : null, idleSeconds };
}

/** A supervisor's (or owner's) PIN or password authorises one action of one kind, for a short while. */
export async function approve(input: ParsedInputOf<'users.approve'>, ctx: LocalContext): Promise<OutputOf<'users.approve'>> {
  const supervisor = await activeUser(ctx, input.supervisorId);
  if (!isManager(supervisor.role)) throw AppError.t('Forbidden', 'notApprover');
  const kind: CredentialKind = input.pin !== undefined ? 'pin' : 'password';
  const secret = input.pin ?? input.password!;
  await verifyPerson(ctx, supervisor, kind, secret, 'approvalRefused', { action: input.action, requestedBy: ctx.principal.actorId });
  const approvalId = newId();
  const now = new Date();
  const expiresAt = await grantApproval(ctx.db, { storeId: ctx.store.storeId, id: approvalId, supervisorId: supervisor.id, action: input.action, requestedBy: ctx.principal.actorId, now });
  return { approvalId, action: input.action, supervisorId: supervisor.id, supervisorName: supervisor.name, expiresAt: expiresAt.toISOString() };
}
