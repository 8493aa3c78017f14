import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { WS_BEARER_PREFIX } from '../../shared/contract/index.js';
import type { Principal } from '../handlers.js';

export const SESSION_COOKIE = 'mostrador_session';

/**
 * Who may call the local API (R14). Until the users domain exists, whoever launched the app is the store's owner:
 * Electron's renderer proves it with the per-launch secret, a browser with the one-time code of the printed URL,
 * exchanged once for an HttpOnly SameSite=Strict session cookie.
 */
export class LocalAuth {
  readonly secret: string;
  #code: string | undefined;
  #sessions = new Set<string>();

  constructor(secret?: string) {
    this.secret = secret ?? randomBytes(32).toString('base64url');
    this.#code = randomBytes(18).toString('base64url');
  }

  /** The code of the printed URL; it works once. */
  get oneTimeCode(): string | undefined {
    return this.#code;
  }

  exchange(code: unknown): string {
    if (typeof code !== 'string' || !this.#code || !same(code, this.#code)) {
      throw AppError.t('Unauthorized', 'signInLinkUsed');
    }
    this.#code = undefined;
    const session = randomBytes(32).toString('base64url');
    this.#sessions.add(session);
    return session;
  }

  /** A fresh one-time code (the `mostrador` command can print a new link for a running node). */
  renewCode(): string {
    this.#code = randomBytes(18).toString('base64url');
    return this.#code;
  }

  principalOf(request: FastifyRequest): Principal | undefined {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ') && same(header.slice(7), this.secret)) return owner('secret');
    for (const protocol of String(request.headers['sec-websocket-protocol'] ?? '').split(',')) {
      const value = protocol.trim();
      if (value.startsWith(WS_BEARER_PREFIX) && same(value.slice(WS_BEARER_PREFIX.length), this.secret)) return owner('secret');
    }
    const session = request.cookies?.[SESSION_COOKIE];
    if (session && this.#sessions.has(session)) return owner('session');
    return undefined;
  }

  require(request: FastifyRequest): Principal {
    const principal = this.principalOf(request);
    if (!principal) {
      throw AppError.t('Unauthorized', 'notSignedIn');
    }
    return principal;
  }
}

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
