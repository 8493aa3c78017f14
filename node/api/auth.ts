import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { PERSON_HEADER, WS_BEARER_PREFIX } from '../../shared/contract/index.js';
import type { Principal } from '../handlers.js';
import { tokenHash, type SessionStore } from './sessions.js';

export const SESSION_COOKIE = 'mostrador_session';
/** A browser session lasts this long after its last use (sliding), and survives restarts of the node. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** How often a used session's expiry (and its cookie) is pushed forward: one write a day, not one per request. */
const SLIDE_EVERY_MS = 24 * 60 * 60 * 1000;
/** A sign-in link works once, and only for a short while: it may sit in a terminal's scrollback. */
export const CODE_TTL_MS = 10 * 60 * 1000;
const MAX_OPEN_CODES = 8;

/**
 * Who may call the local API (R14). The installation proves itself first (a person then signs in on top of it,
 * `persons`; until the store has an owner who signs in, the installation stands for the owner):
 * Electron's renderer proves it with the per-launch secret, a browser with the one-time code of a printed link,
 * exchanged once for an HttpOnly SameSite=Strict session cookie. Sessions are kept hashed in the database (so they
 * outlive a restart) and mirrored in memory, so checking a request never waits for the database.
 */
/** Who is signed in on top of the installation (node/users/persons.ts implements it). */
export interface PersonSessions {
  /** True once the store has an owner who signs in: then a person must sign in for most calls. */
  readonly required: boolean;
  use(token: string | undefined): { hash: string; userId: string; role: Principal['staffRole'] } | undefined;
}

export class LocalAuth {
  readonly secret: string;
  /** Set by the node once the users domain is open; without it the installation is the owner (tests of the API alone). */
  persons: PersonSessions | undefined;
  #codes = new Map<string, number>();
  #sessions = new Map<string, number>();

  private constructor(
    private readonly store: SessionStore,
    secret: string | undefined,
    private readonly now: () => number,
  ) {
    this.secret = secret ?? randomBytes(32).toString('base64url');
  }

  /** The node's auth over its sessions' record, with one fresh sign-in code. */
  static async open(store: SessionStore, secret?: string, now: () => number = Date.now): Promise<LocalAuth> {
    const auth = new LocalAuth(store, secret, now);
    for (const session of await store.live(now())) auth.#sessions.set(session.hash, session.expiresAt);
    auth.renewCode();
    return auth;
  }

  /** The newest sign-in code still unused and unexpired, if any. */
  get oneTimeCode(): string | undefined {
    this.#dropExpiredCodes();
    return [...this.#codes.keys()].at(-1);
  }

  /** A fresh sign-in code (for the printed link, or `mostrador link`); older unused ones stay valid until they expire. */
  renewCode(): string {
    this.#dropExpiredCodes();
    const code = randomBytes(18).toString('base64url');
    this.#codes.set(code, this.now() + CODE_TTL_MS);
    for (const old of this.#codes.keys()) if (this.#codes.size > MAX_OPEN_CODES) this.#codes.delete(old);
    return code;
  }

  /** Trades a sign-in code for a session token; the code is spent before anything is awaited, so it works once. */
  async exchange(code: unknown): Promise<string> {
    this.#dropExpiredCodes();
    const match = typeof code === 'string' ? [...this.#codes.keys()].find((c) => same(code, c)) : undefined;
    if (!match) throw AppError.t('Unauthorized', 'signInLinkUsed');
    this.#codes.delete(match);
    const token = randomBytes(32).toString('base64url');
    const session = { hash: tokenHash(token), expiresAt: this.now() + SESSION_TTL_MS };
    await this.store.save(session);
    this.#sessions.set(session.hash, session.expiresAt);
    return token;
  }

  /** Pushes a used session's expiry forward, at most once a day; true when the cookie should be sent again. */
  async slide(token: string): Promise<boolean> {
    const hash = tokenHash(token);
    const expiresAt = this.#sessions.get(hash);
    const renewed = this.now() + SESSION_TTL_MS;
    if (expiresAt === undefined || expiresAt <= this.now() || renewed - expiresAt < SLIDE_EVERY_MS) return false;
    await this.store.save({ hash, expiresAt: renewed });
    this.#sessions.set(hash, renewed);
    return true;
  }

  async signOut(token: string | undefined): Promise<void> {
    if (!token) return;
    const hash = tokenHash(token);
    this.#sessions.delete(hash);
    await this.store.remove(hash);
  }

  /**
   * The installation's proof first (launch secret or session cookie), then the person on top of it: a live person
   * token (header `x-mostrador-person`) makes the person the caller; without one, the installation stands for the
   * owner until the store has an owner who signs in, and after that only opens the sign-in screen (`anonymous`).
   */
  principalOf(request: FastifyRequest): Principal | undefined {
    const via = this.#installVia(request);
    if (!via) return undefined;
    const person = this.persons?.use(headerValue(request.headers[PERSON_HEADER]));
    if (person) return { actorId: person.userId, staffRole: person.role, via, person: person.hash };
    if (this.persons?.required) return { actorId: 'installation', staffRole: 'cashier', via, anonymous: true };
    return owner(via);
  }

  #installVia(request: FastifyRequest): Principal['via'] | undefined {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ') && same(header.slice(7), this.secret)) return 'secret';
    for (const protocol of String(request.headers['sec-websocket-protocol'] ?? '').split(',')) {
      const value = protocol.trim();
      if (value.startsWith(WS_BEARER_PREFIX) && same(value.slice(WS_BEARER_PREFIX.length), this.secret)) return 'secret';
    }
    const session = request.cookies?.[SESSION_COOKIE];
    if (session && this.#isLive(session)) return 'session';
    return undefined;
  }

  require(request: FastifyRequest): Principal {
    const principal = this.principalOf(request);
    if (!principal) {
      throw AppError.t('Unauthorized', 'notSignedIn');
    }
    return principal;
  }

  #isLive(token: string): boolean {
    const expiresAt = this.#sessions.get(tokenHash(token));
    return expiresAt !== undefined && expiresAt > this.now();
  }

  #dropExpiredCodes(): void {
    for (const [code, expiresAt] of this.#codes) if (expiresAt <= this.now()) this.#codes.delete(code);
  }
}

const headerValue = (value: string | string[] | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

const owner = (via: Principal['via']): Principal => ({ actorId: 'owner', staffRole: 'owner', via });

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * DNS rebinding and cross-site requests: the Host must be this loopback address and an Origin, when a browser sends
 * one, must be this node's own.
 */
export function checkHostAndOrigin(request: FastifyRequest, port: number): void {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = request.headers.host ?? '';
  if (!allowedHosts.includes(host)) {
    throw new AppError('Forbidden', `Requests must be addressed to 127.0.0.1:${port}; refused Host "${host}".`);
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`)) {
    throw new AppError('Forbidden', `Cross-site request refused (Origin "${origin}").`);
  }
}
