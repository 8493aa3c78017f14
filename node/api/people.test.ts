import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';

const cmd = () => ({ commandId: newId() });

describe('people, sign-in and lockout through the API', () => {
  let t: TestNode;
  let ownerToken: string;
  let ownerId: string;
  let cashierId: string;
  const as = (token: string) => ({ 'x-mostrador-person': token });

  beforeAll(async () => {
    t = await startTestNode();
  });
  afterAll(() => t.stop());

  it('on first start the installation is the owner, and the directory asks for the owner’s password', async () => {
    const dir = await t.call('users.directory', {});
    expect(dir.status).toBe(200);
    expect(dir.body.result).toEqual({ setupNeeded: true, users: [] });
    expect((await t.call('products.list', {})).status).toBe(200);
  });

  it('sets up the owner once; then other calls need a signed-in person', async () => {
    const res = await t.call('users.setupOwner', { name: 'Ana Dueña', password: 'correct horse' }, cmd());
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ name: 'Ana Dueña', role: 'owner', hasPassword: true, hasPin: false, active: true });
    ownerId = res.body.result.id;
    const again = await t.call('users.setupOwner', { name: 'Intruso', password: 'another one' }, cmd());
    expect(again.status).toBe(409);
    const list = await t.call('products.list', {});
    expect(list.status).toBe(401);
    expect(list.body.error.message).toMatch(/Sign in/);
    const dir = await t.call('users.directory', {});
    expect(dir.body.result.setupNeeded).toBe(false);
    expect(dir.body.result.users).toEqual([{ id: ownerId, name: 'Ana Dueña', role: 'owner', hasPin: false, hasPassword: true }]);
  });

  it('signs the owner in with the password; the token makes the calls theirs', async () => {
    const wrongKind = await t.call('users.signIn', { userId: ownerId, pin: '1234' });
    expect(wrongKind.status).toBe(400);
    const res = await t.call('users.signIn', { userId: ownerId, password: 'correct horse' });
    expect(res.status).toBe(200);
    ownerToken = res.body.result.token;
    expect(res.body.result.idleSeconds).toBe(900);
    expect((await t.call('products.list', {}, { headers: as(ownerToken) })).status).toBe(200);
    const me = await t.call('users.me', {}, { headers: as(ownerToken) });
    expect(me.body.result.user).toMatchObject({ id: ownerId, role: 'owner' });
    const again = await t.call('users.setupOwner', { name: 'Intruso', password: 'another one' }, { ...cmd(), headers: as(ownerToken) });
    expect(again.status).toBe(409);
  });

  it('the owner creates a cashier with a PIN; the cashier signs in with it and may not manage people', async () => {
    const created = await t.call('users.create', { name: 'Beto Cajero', role: 'cashier', pin: '4321' }, { headers: as(ownerToken) });
    expect(created.status).toBe(200);
    expect(created.body.result).toMatchObject({ role: 'cashier', hasPin: true, hasPassword: false });
    cashierId = created.body.result.id;
    const signIn = await t.call('users.signIn', { userId: cashierId, pin: '4321' });
    expect(signIn.status).toBe(200);
    const token = signIn.body.result.token;
    const forbidden = await t.call('users.create', { name: 'X', role: 'owner' }, { headers: as(token) });
    expect(forbidden.status).toBe(403);
    const otherPin = await t.call('users.setPin', { userId: ownerId, pin: '1111' }, { ...cmd(), headers: as(token) });
    expect(otherPin.status).toBe(403);
    const ownPin = await t.call('users.setPin', { userId: cashierId, pin: '5555' }, { ...cmd(), headers: as(token) });
    expect(ownPin.status).toBe(200);
    const out = await t.call('users.signOut', {}, { headers: as(token) });
    expect(out.body.result).toEqual({ signedOut: true });
    expect((await t.call('products.list', {}, { headers: as(token) })).status).toBe(401);
  });

  it('counts wrong PINs, locks the person out at the 5th with the time it ends, and refuses even the right PIN meanwhile', async () => {
    for (let left = 4; left >= 1; left--) {
      const res = await t.call('users.signIn', { userId: cashierId, pin: '0000' });
      expect(res.status).toBe(401);
      expect(res.body.error.message).toContain(`${left} attempts left`);
    }
    const locked = await t.call('users.signIn', { userId: cashierId, pin: '0000' });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(29);
    const until = locked.body.error.issues.find((i: { path: string }) => i.path === 'lockedUntil').message;
    expect(Date.parse(until)).toBeGreaterThan(Date.now() + 25_000);
    const right = await t.call('users.signIn', { userId: cashierId, pin: '5555' });
    expect(right.status).toBe(429);
    const records = await t.node.store.db.query<{ kind: string }>('SELECT kind FROM security_record WHERE user_id = $1 ORDER BY seq', [cashierId]);
    expect(records.map((r) => r.kind)).toEqual([...Array(5).fill('signInFailed'), 'lockedOut']);
  });

  it('keeps PINs and passwords out of the journal: only their scrypt hashes, in their own table', async () => {
    const events = await t.node.store.db.query<{ payload: unknown }>('SELECT payload FROM events');
    const text = JSON.stringify(events);
    // (digits-only PINs could occur inside a uuid by chance: look for the fields that would carry them instead)
    for (const secret of ['correct horse', '"pin"', '"password"', '"hash"', '"salt"']) expect(text).not.toContain(secret);
    const creds = await t.node.store.db.query<{ hash: string; params: { N: number } }>('SELECT hash, params FROM user_credential');
    expect(creds.length).toBe(2);
    for (const c of creds) expect(c.params.N).toBe(16384);
  });

  it('shows failures and user changes in the audit log, for managers only', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await t.call('audit.list', { from, to }, { headers: as(ownerToken) });
    expect(res.status).toBe(200);
    const kinds = res.body.result.items.map((i: { kind: string }) => i.kind);
    expect(kinds.filter((k: string) => k === 'signInFailed')).toHaveLength(5);
    expect(kinds).toContain('lockedOut');
    expect(kinds).toContain('userCreated');
    const byCashier = await t.call('audit.list', { from, to, userId: cashierId, kind: 'lockedOut' }, { headers: as(ownerToken) });
    expect(byCashier.body.result.items).toHaveLength(1);
    expect(byCashier.body.result.items[0]).toMatchObject({ userId: cashierId, userName: 'Beto Cajero', source: 'security' });
    const page1 = await t.call('audit.list', { from, to, limit: 2 }, { headers: as(ownerToken) });
    const page2 = await t.call('audit.list', { from, to, limit: 2, cursor: page1.body.result.next }, { headers: as(ownerToken) });
    expect(page2.body.result.items[0].id).not.toBe(page1.body.result.items[1].id);
    expect(page1.body.result.items.concat(page2.body.result.items).map((i: { id: string }) => i.id)).toEqual(res.body.result.items.slice(0, 4).map((i: { id: string }) => i.id));
  });

  it('does not let the last owner be demoted or deactivated; deactivating a person signs them out', async () => {
    const demote = await t.call('users.update', { id: ownerId, patch: { role: 'supervisor' } }, { headers: as(ownerToken) });
    expect(demote.status).toBe(409);
    const clerk = await t.call('users.create', { name: 'Caro Repositora', role: 'stockClerk', pin: '2468' }, { headers: as(ownerToken) });
    const token = (await t.call('users.signIn', { userId: clerk.body.result.id, pin: '2468' })).body.result.token;
    expect((await t.call('users.me', {}, { headers: as(token) })).body.result.user.name).toBe('Caro Repositora');
    const off = await t.call('users.deactivate', { id: clerk.body.result.id }, { ...cmd(), headers: as(ownerToken) });
    expect(off.body.result.active).toBe(false);
    expect((await t.call('products.list', {}, { headers: as(token) })).status).toBe(401);
    expect((await t.call('users.signIn', { userId: clerk.body.result.id, pin: '2468' })).status).toBe(403);
  });
});
