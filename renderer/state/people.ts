import type { AuditEntry, InputOf, OutputOf, User, UserTile } from '../../shared/contract/index.js';
import type { AppError } from '../../shared/errors.js';
import type { CallOptions } from '../api/client.js';
import { toAppError } from './errors.js';
import type { Refresher, Slice, TokenHolder } from './types.js';

export interface Directory {
  setupNeeded: boolean;
  users: UserTile[];
}

export type AuditFilter = Omit<InputOf<'audit.list'>, 'cursor' | 'limit'>;

export interface PeopleSlice {
  /** The sign-in screen's tiles, and whether the owner still has to set a password (first start). */
  directory: Directory | null;
  /** Who is signed in on this tab; null before anyone is (or while the installation stands for the owner). */
  person: UserTile | null;
  /** The sign-in tiles are shown: nobody is signed in while the store has people, or someone asked to switch. */
  choosing: boolean;
  people: User[];
  peopleError: AppError | null;
  audit: AuditEntry[];
  auditNext: string | null;
  auditError: AppError | null;
  loadDirectory(): Promise<void>;
  /** At start and after a reload: who this tab's token belongs to, and whether someone must sign in. */
  loadPerson(): Promise<void>;
  setupOwner(input: InputOf<'users.setupOwner'>, opts?: CallOptions): Promise<User>;
  signInPerson(input: InputOf<'users.signIn'>, opts?: CallOptions): Promise<void>;
  signOutPerson(): Promise<void>;
  /** Quick cashier switch: the tiles, with nothing closed; cancelling goes back to the person signed in. */
  switchPerson(): void;
  cancelSwitch(): void;
  /** A 401: the person's session ended (idle, signed out elsewhere) or the installation is not signed in. */
  unauthorized(): Promise<void>;
  loadPeople(): Promise<void>;
  savePerson<K extends 'users.create' | 'users.update' | 'users.deactivate' | 'users.setPin' | 'users.setPassword'>(
    method: K, input: InputOf<K>, opts?: CallOptions): Promise<User>;
  loadAudit(filter: AuditFilter, more?: boolean): Promise<void>;
  /** A supervisor's PIN or password typed on this screen: an approval of one action, for the command that needs it. */
  approve(input: InputOf<'users.approve'>, opts?: CallOptions): Promise<OutputOf<'users.approve'>>;
}

const memoryToken = (): TokenHolder => {
  let token: string | null = null;
  return { get: () => token, set: (t) => void (token = t) };
};

const AUDIT_PAGE = 50;

export const createPeopleSlice: Slice<PeopleSlice> = ({ client, personToken = memoryToken() }) => (set, get) => {
  let probing = false;
  const afterSignIn = () => {
    void get().loadStatus();
    if (get().productsLoaded) void get().loadProducts();
  };
  return {
    directory: null,
    person: null,
    choosing: false,
    people: [],
    peopleError: null,
    audit: [],
    auditNext: null,
    auditError: null,
    async loadDirectory() {
      set({ directory: await client.call('users.directory', {}) });
    },
    async loadPerson() {
      const [directory, me] = await Promise.all([client.call('users.directory', {}), client.call('users.me', {})]);
      if (!me.user) personToken.set(null);
      // With no owner password yet, the installation stands for the owner: nobody has to sign in.
      set({ directory, person: me.user, choosing: !me.user && !directory.setupNeeded });
    },
    async setupOwner(input, opts) {
      const owner = await client.call('users.setupOwner', input, opts);
      await get().loadDirectory();
      set({ choosing: get().person === null });
      return owner;
    },
    async signInPerson(input, opts) {
      const answer = await client.call('users.signIn', input, opts);
      personToken.set(answer.token);
      set({ person: answer.user, choosing: false });
      afterSignIn();
    },
    async signOutPerson() {
      try {
        await client.call('users.signOut', {});
      } finally {
        personToken.set(null);
        set({ person: null, choosing: true });
        void get().loadDirectory().catch(() => undefined);
      }
    },
    switchPerson: () => {
      set({ choosing: true });
      void get().loadDirectory().catch(() => undefined);
    },
    cancelSwitch: () => set((s) => ({ choosing: s.person === null })),
    async unauthorized() {
      if (probing) return;
      probing = true;
      try {
        // The sign-in screen's own method answers whenever the installation is signed in: then only the person is missing.
        const directory = await client.call('users.directory', {});
        personToken.set(null);
        set({ directory, person: null, choosing: !directory.setupNeeded });
        get().sessionReady();
      } catch {
        get().signedOut();
      } finally {
        probing = false;
      }
    },
    async loadPeople() {
      try {
        set({ people: (await client.call('users.list', {})).items, peopleError: null });
      } catch (e) {
        set({ peopleError: toAppError(e) });
      }
    },
    async savePerson(method, input, opts) {
      const user = (await client.call(method, input as never, opts)) as User;
      set((s) => ({ people: [...s.people.filter((p) => p.id !== user.id), user].sort((a, b) => a.name.localeCompare(b.name)) }));
      void get().loadDirectory().catch(() => undefined);
      return user;
    },
    approve: (input, opts) => client.call('users.approve', input, opts),
    async loadAudit(filter, more = false) {
      const cursor = more ? get().auditNext : null;
      try {
        const page = await client.call('audit.list', { ...filter, limit: AUDIT_PAGE, ...(cursor ? { cursor } : {}) });
        set((s) => ({ audit: more ? [...s.audit, ...page.items] : page.items, auditNext: page.next, auditError: null }));
      } catch (e) {
        set({ auditError: toAppError(e) });
      }
    },
  };
};

export const refreshPeople: Refresher = {
  topic: 'users',
  run: (state) => {
    if (state.people.length > 0) void state.loadPeople();
  },
};
