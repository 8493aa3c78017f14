import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lockSeconds } from './lockout.js';
import { applyUserEvent, type UserEvent } from './model.js';
import { decideUpdate } from './decide.js';
import { hashSecret, verifySecret } from './credentials.js';

const USER = '018f0000-0000-7000-8000-000000000001';

const event = (type: UserEvent['type'], payload: unknown, hlc: string): UserEvent =>
  ({ type, payload, hlc, created_at: `2026-11-29T10:00:${hlc.slice(-2)}.000Z`, actor_id: 'owner' }) as unknown as UserEvent;

describe('users read model', () => {
  it('converges whatever order the events of several terminals arrive in (last writer by HLC wins per field)', () => {
    const change = fc.record(
      { name: fc.constantFrom('Ana', 'Beto', 'Caro'), role: fc.constantFrom('owner', 'supervisor', 'cashier', 'stockClerk'), active: fc.boolean() },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 8 }), fc.nat(), (changes, seed) => {
        const events = [
          event('UserCreated', { userId: USER, name: 'Ana', role: 'cashier', active: true }, '00000000000010'),
          ...changes.map((c, i) => event('UserUpdated', { userId: USER, changes: c }, `000000000000${String(20 + i).padStart(2, '0')}`)),
        ];
        const inOrder = events.reduce<ReturnType<typeof applyUserEvent> | undefined>((row, e) => applyUserEvent(row, e, USER), undefined);
        const shuffled = [...events].sort((a, b) => ((a.hlc.charCodeAt(13) * 31 + seed) % 7) - ((b.hlc.charCodeAt(13) * 31 + seed) % 7));
        const anyOrder = shuffled.reduce<ReturnType<typeof applyUserEvent> | undefined>((row, e) => applyUserEvent(row, e, USER), undefined);
        const pick = (r: typeof inOrder) => ({ name: r!.name, role: r!.role, active: r!.active, createdAt: r!.createdAt, updatedAt: r!.updatedAt });
        expect(pick(anyOrder)).toEqual(pick(inOrder));
      }),
    );
  });

  it('keeps only the fields that change in an update, and none when nothing does', () => {
    const row = applyUserEvent(undefined, event('UserCreated', { userId: USER, name: 'Ana', role: 'cashier', active: true }, '00000000000010'), USER);
    expect(decideUpdate(row, USER, { name: 'Ana', role: 'supervisor' }, 1)).toEqual([{ type: 'UserUpdated', payload: { userId: USER, changes: { role: 'supervisor' } } }]);
    expect(decideUpdate(row, USER, { name: 'Ana', active: true }, 1)).toEqual([]);
  });
});

describe('lockout and hashes', () => {
  it('locks for longer each time, capped at an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(lockSeconds)).toEqual([30, 60, 300, 900, 3600, 3600, 3600]);
  });

  it('salts each credential: the same PIN twice gives two hashes, both verifiable, and a wrong PIN fails', async () => {
    const a = await hashSecret('1234');
    const b = await hashSecret('1234');
    expect(a.hash).not.toBe(b.hash);
    expect(a.params).toEqual({ N: 16384, r: 8, p: 1, keylen: 32 });
    expect(await verifySecret('1234', b)).toBe(true);
    expect(await verifySecret('1235', a)).toBe(false);
  });
});

describe('person sessions', () => {
  it('end after the idle timeout, each call restarting it; sign-out ends them at once', async () => {
    const { PersonGate } = await import('./persons.js');
    let now = 0;
    const gate = new PersonGate(15 * 60_000, () => now);
    const token = gate.open({ userId: USER, name: 'Ana', role: 'cashier' });
    now += 14 * 60_000;
    expect(gate.use(token)?.userId).toBe(USER);
    now += 14 * 60_000;
    const live = gate.use(token);
    expect(live?.userId).toBe(USER);
    now += 15 * 60_000 + 1;
    expect(gate.use(token)).toBeUndefined();
    const other = gate.open({ userId: USER, name: 'Ana', role: 'cashier' });
    expect(gate.close(gate.use(other)!.hash)).toBe(true);
    expect(gate.use(other)).toBeUndefined();
    expect(gate.use('not a token')).toBeUndefined();
  });
});
