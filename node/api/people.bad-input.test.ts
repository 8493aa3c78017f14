import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { databaseDigest } from '../../test/support/digest.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';

/** Local security records change on a refused sign-in by design (the failure is counted); nothing else may. */
const SECURITY_TABLES = ['security_record', 'user_lockout'];

describe('the users domain refuses bad input with a 4xx and changes nothing (security records aside)', () => {
  let t: TestNode;
  let owner: Record<string, string>;
  let cashier: Record<string, string>;
  let ownerId: string;
  let cashierId: string;

  beforeAll(async () => {
    t = await startTestNode();
    ownerId = (await t.call('users.setupOwner', { name: 'Ana', password: 'clave del dueño' }, { commandId: newId() })).body.result.id;
    owner = { 'x-mostrador-person': (await t.call('users.signIn', { userId: ownerId, password: 'clave del dueño' })).body.result.token };
    cashierId = (await t.call('users.create', { name: 'Beto', role: 'cashier', pin: '1234' }, { headers: owner })).body.result.id;
    cashier = { 'x-mostrador-person': (await t.call('users.signIn', { userId: cashierId, pin: '1234' })).body.result.token };
  });
  afterAll(() => t.stop());

  const digest = async () => {
    const all = await databaseDigest(t.node.store.db);
    return Object.fromEntries(Object.entries(all).filter(([table]) => !SECURITY_TABLES.includes(table)));
  };

  const from = '2026-01-01T00:00:00Z';
  const to = '2026-12-31T00:00:00Z';
  const cases: [string, string, unknown, 'owner' | 'cashier' | 'none', number][] = [
    ['PIN with letters', 'users.setPin', () => ({ userId: cashierId, pin: '12a4' }), 'owner', 400],
    ['PIN too short', 'users.setPin', () => ({ userId: cashierId, pin: '123' }), 'owner', 400],
    ['PIN too long', 'users.setPin', () => ({ userId: cashierId, pin: '1234567' }), 'owner', 400],
    ['PIN as a number', 'users.setPin', () => ({ userId: cashierId, pin: 1234 }), 'owner', 400],
    ['PIN of an unknown person', 'users.setPin', () => ({ userId: newId(), pin: '1234' }), 'owner', 404],
    ['PIN of another person, by a cashier', 'users.setPin', () => ({ userId: ownerId, pin: '1234' }), 'cashier', 403],
    ['password too short', 'users.setPassword', () => ({ userId: ownerId, password: 'corta' }), 'owner', 400],
    ['password with a NUL', 'users.setPassword', () => ({ userId: ownerId, password: 'clave\u0000larga' }), 'owner', 400],
    ['password of a cashier', 'users.setPassword', () => ({ userId: cashierId, password: 'una clave larga' }), 'owner', 400],
    ['password set by a cashier', 'users.setPassword', () => ({ userId: cashierId, password: 'una clave larga' }), 'cashier', 403],
    ['a person with an unknown role', 'users.create', () => ({ name: 'X', role: 'admin' }), 'owner', 400],
    ['a person with a huge name', 'users.create', () => ({ name: 'a'.repeat(10_000), role: 'cashier' }), 'owner', 400],
    ['a person with an empty name', 'users.create', () => ({ name: '   ', role: 'cashier' }), 'owner', 400],
    ['a cashier with a password', 'users.create', () => ({ name: 'X', role: 'cashier', password: 'una clave larga' }), 'owner', 400],
    ['a person created by a cashier', 'users.create', () => ({ name: 'X', role: 'cashier' }), 'cashier', 403],
    ['an update with nothing to change', 'users.update', () => ({ id: cashierId, patch: {} }), 'owner', 400],
    ['an update of an unknown person', 'users.update', () => ({ id: newId(), patch: { name: 'X' } }), 'owner', 404],
    ['the last owner demoted', 'users.update', () => ({ id: ownerId, patch: { role: 'cashier' } }), 'owner', 409],
    ['the last owner deactivated', 'users.deactivate', () => ({ id: ownerId }), 'owner', 409],
    ['a second first-start owner', 'users.setupOwner', () => ({ name: 'Otro', password: 'otra clave larga' }), 'none', 409],
    ['sign-in of an unknown person', 'users.signIn', () => ({ userId: newId(), pin: '1234' }), 'none', 404],
    ['sign-in with both PIN and password', 'users.signIn', () => ({ userId: cashierId, pin: '1234', password: 'una clave larga' }), 'none', 400],
    ['sign-in of a cashier by password', 'users.signIn', () => ({ userId: cashierId, password: 'una clave larga' }), 'none', 400],
    ['sign-in of the owner by PIN', 'users.signIn', () => ({ userId: ownerId, pin: '1234' }), 'none', 400],
    ['approval by a cashier', 'users.approve', () => ({ supervisorId: cashierId, pin: '1234', action: 'void' }), 'cashier', 403],
    ['approval of an unknown action', 'users.approve', () => ({ supervisorId: ownerId, pin: '1234', action: 'everything' }), 'cashier', 400],
    ['approval of an owner without a PIN', 'users.approve', () => ({ supervisorId: ownerId, pin: '1234', action: 'void' }), 'cashier', 403],
    ['audit backwards', 'audit.list', () => ({ from: to, to: from }), 'owner', 400],
    ['audit with a date that is not one', 'audit.list', () => ({ from: 'ayer', to }), 'owner', 400],
    ['audit with a forged cursor', 'audit.list', () => ({ from, to, cursor: Buffer.from('["2026-01-01","x\u0000"]').toString('base64url') }), 'owner', 400],
    ['audit with a huge limit', 'audit.list', () => ({ from, to, limit: 1e9 }), 'owner', 400],
    ['audit read by a cashier', 'audit.list', () => ({ from, to }), 'cashier', 403],
    ['people listed by a cashier', 'users.list', () => ({}), 'cashier', 403],
    ['a call without a person', 'products.list', () => ({}), 'none', 401],
  ];

  it.each(cases)('refuses %s', { timeout: 60_000 }, async (_label, method, input, who, status) => {
    const before = await digest();
    const headers = who === 'owner' ? owner : who === 'cashier' ? cashier : {};
    const res = await t.call(method, (input as () => unknown)(), { headers, commandId: newId() });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.message.length).toBeGreaterThan(10);
    expect(await digest()).toEqual(before);
  });

  it('counts a wrong PIN in the security records only', async () => {
    const before = await digest();
    const all = await databaseDigest(t.node.store.db);
    const res = await t.call('users.signIn', { userId: cashierId, pin: '9999' });
    expect(res.status).toBe(401);
    expect(await digest()).toEqual(before);
    expect((await databaseDigest(t.node.store.db)).security_record).not.toBe(all.security_record);
  });
});
