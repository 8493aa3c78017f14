import { createHash, randomBytes } from 'node:crypto';
import type { StaffRole } from '../../shared/contract/index.js';
import type { DomainEvent } from '../../shared/events.js';
import type { Db, ReadDb } from '../db/types.js';
import { ownerReady } from './credentials.js';

/** The settings domain's default idle timeout; a person unused this long is signed out. */
export const DEFAULT_IDLE_MS = 15 * 60 * 1000;
const MAX_SESSIONS = 200;

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface PersonSession {
  userId: string;
  name: string;
  role: StaffRole;
  lastUsedAt: number;
}

const gates = new WeakMap<ReadDb, PersonGate>();

/**
 * Who is signed in at this node, on top of the installation's proof (node/api/auth.ts). Sessions are kept in
 * memory only, by the SHA-256 of their random token (a copy of the process's memory or database lets nobody in),
 * verified locally on every call (R17), ended by sign-out, by `idleMs` without a call, or when the person is
 * deactivated; a restart of the node signs everyone out. One gate per database, so the users domain's handlers
 * (which sign people in) and the API (which checks every call) share it without a process-wide singleton.
 */
export class PersonGate {
  #sessions = new Map<string, PersonSession>();
  #ownerReady = false;

  constructor(
    readonly idleMs = DEFAULT_IDLE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  static of(db: ReadDb): PersonGate {
    let gate = gates.get(db);
    if (!gate) gates.set(db, (gate = new PersonGate()));
    return gate;
  }

  /** Replaces the gate of a database (tests with a short idle timeout or a fake clock). */
  static install(db: ReadDb, gate: PersonGate): PersonGate {
    gates.set(db, gate);
    return gate;
  }

  /** Reads, once at start, whether the store already has an owner who signs in with a password. */
  async load(db: Db, storeId: string): Promise<this> {
    this.#ownerReady = await ownerReady(db, storeId);
    return this;
  }

  /** True once an owner can sign in: from then on calls other than the sign-in screen's need a person. */
  get required(): boolean {
    return this.#ownerReady;
  }

  ownerIsReady(): void {
    this.#ownerReady = true;
  }

  open(person: Omit<PersonSession, 'lastUsedAt'>): string {
    this.#dropIdle();
    const token = randomBytes(32).toString('base64url');
    this.#sessions.set(hashOf(token), { ...person, lastUsedAt: this.now() });
    for (const oldest of this.#sessions.keys()) if (this.#sessions.size > MAX_SESSIONS) this.#sessions.delete(oldest);
    return token;
  }

  /** The live session of a token (its idle clock restarts), or undefined. */
  use(token: string | undefined): (PersonSession & { hash: string }) | undefined {
    if (!token || token.length > 100) return undefined;
    const hash = hashOf(token);
    const session = this.#sessions.get(hash);
    if (!session) return undefined;
    if (this.now() - session.lastUsedAt > this.idleMs) {
      this.#sessions.delete(hash);
      return undefined;
    }
    session.lastUsedAt = this.now();
    return { ...session, hash };
  }

  close(hash: string | undefined): boolean {
    return hash !== undefined && this.#sessions.delete(hash);
  }

  /** Keeps sessions true to the users read model: a new role applies at the next call, deactivation signs out. */
  applyCommitted(events: readonly DomainEvent[]): void {
    for (const event of events) {
      if (event.type !== 'UserUpdated') continue;
      const { userId, changes } = event.payload as { userId: string; changes: { name?: string; role?: StaffRole; active?: boolean } };
      for (const [hash, session] of this.#sessions) {
        if (session.userId !== userId) continue;
        if (changes.active === false) this.#sessions.delete(hash);
        else Object.assign(session, changes.name ? { name: changes.name } : {}, changes.role ? { role: changes.role } : {});
      }
    }
  }

  #dropIdle(): void {
    for (const [hash, s] of this.#sessions) if (this.now() - s.lastUsedAt > this.idleMs) this.#sessions.delete(hash);
  }
}

/**
 * Keeps the gate in step with committed user commands: the first owner's password makes people required at once
 * (before the answer leaves); other changes of people are re-read in the background.
 */
export function followPeople(gate: PersonGate, committed: { method: string; events: readonly DomainEvent[] }, reload: () => Promise<unknown>): void {
  gate.applyCommitted(committed.events);
  if (committed.method === 'users.setupOwner') gate.ownerIsReady();
  else if (committed.method.startsWith('users.') && !gate.required) void reload().catch(() => undefined);
}
