import { MIMEType } from 'node:util';
import type { FastifyRequest } from 'fastify';
import { WS_BEARER_PREFIX, WS_PROTOCOL } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { Principal } from '../handlers.js';
import type { LocalAuth } from './auth.js';
import type { SignInLimiter } from './ratelimit.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `signedIn` in onRequest, before the body is read. */
    principal: Principal | undefined;
  }
}

/** The protocols a WebSocket upgrade asks for (`Sec-WebSocket-Protocol`, comma-separated). */
const protocolsOf = (request: FastifyRequest): string[] =>
  String(request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());

/** Whether the caller offers the launch secret (Electron): a wrong one counts as a failed sign-in. */
const offersSecret = (request: FastifyRequest): boolean =>
  request.headers.authorization?.startsWith('Bearer ') === true || protocolsOf(request).some((p) => p.startsWith(WS_BEARER_PREFIX));

/**
 * Who is calling, decided in onRequest: an unknown caller gets 401 (or 429 after too many wrong secrets) before
 * a byte of the body is read or parsed. A stale session cookie is not an attempt: tabs keep theirs across a restart.
 */
export function signedIn(auth: LocalAuth, limiter: SignInLimiter) {
  return async (request: FastifyRequest): Promise<void> => {
    request.principal = auth.principalOf(request);
    if (request.principal) return;
    if (offersSecret(request)) {
      limiter.check('secret');
      limiter.failed('secret');
    }
    throw AppError.t('Unauthorized', 'notSignedIn');
  };
}

/** The caller `signedIn` found (routes that use it in onRequest). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw AppError.t('Unauthorized', 'notSignedIn');
  return request.principal;
}

/** JSON in UTF-8 only, checked from the headers before the body is read: another declared charset would be misread. */
export async function jsonUtf8(request: FastifyRequest): Promise<void> {
  const declared = request.headers['content-type'];
  let type: MIMEType | undefined;
  try {
    type = declared ? new MIMEType(declared) : undefined;
  } catch {
    type = undefined;
  }
  if (type?.essence !== 'application/json') {
    throw new AppError('UnsupportedMediaType', 'Send the request as JSON (Content-Type: application/json).');
  }
  const charset = type.params.get('charset')?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError('UnsupportedMediaType', `Send JSON in UTF-8; charset "${charset}" is not accepted.`);
  }
}

/** A WebSocket upgrade must ask for our subprotocol, so a page or tool not written for this API cannot hold a socket. */
export async function wsProtocol(request: FastifyRequest): Promise<void> {
  if (!protocolsOf(request).includes(WS_PROTOCOL)) {
    throw new AppError('ValidationError', `A WebSocket to /ws must ask for the subprotocol "${WS_PROTOCOL}".`);
  }
}
