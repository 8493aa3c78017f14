import fs from 'node:fs';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { AppError } from '../../shared/errors.js';
import { WS_PROTOCOL, type PushMessage } from '../../shared/contract/index.js';
import { newId } from '../../shared/ids.js';
import { localeFrom } from '../../shared/messages.js';
import { createLogger, requestContext } from '../log.js';
import { checkHostAndOrigin, LocalAuth } from './auth.js';
import { registerSessionRoutes } from './session-routes.js';
import { toAppError } from './errors.js';
import { jsonUtf8, signedIn, wsProtocol } from './guard.js';
import { SignInLimiter } from './ratelimit.js';
import type { Handlers, Principal, StoreScope } from '../handlers.js';
import { PushHub } from './push.js';
import { registerRpc } from './rpc.js';

const log = createLogger('api');
const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

export interface ApiOptions {
  handlers: Handlers;
  auth: LocalAuth;
  /** The store a signed-in caller acts on (a terminal: its own). */
  storeOf: (principal: Principal) => StoreScope;
  /** The message sent to a WebSocket client when it connects (the node's status). */
  hello?: () => Promise<PushMessage>;
  rendererDir?: string;
  port?: number;
  limiter?: SignInLimiter;
  timeouts?: Partial<Timeouts>;
}

/**
 * Callers are on this machine and send a request at once; a slow or half-sent one is someone holding a socket.
 * Node checks the header and request deadlines every `checkEveryMs` (its default of 30 s would let them run long).
 */
export interface Timeouts {
  /** The request line and headers must arrive within this. */
  headersMs: number;
  /** The whole request, body included. */
  requestMs: number;
  /** A kept-alive connection with no request in flight. */
  keepAliveMs: number;
  /** A socket with no traffic at all (not a WebSocket: those are released from it on upgrade). */
  idleMs: number;
  checkEveryMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { headersMs: 5_000, requestMs: 10_000, keepAliveMs: 5_000, idleMs: 30_000, checkEveryMs: 1_000 };

export interface ApiServer {
  app: FastifyInstance;
  push: PushHub;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The local API: HTTP JSON on 127.0.0.1 only, a WebSocket for pushes, and the built renderer (browser mode). */
export async function startApi(options: ApiOptions): Promise<ApiServer> {
  const push = new PushHub();
  const limiter = options.limiter ?? new SignInLimiter();
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  let port = 0;
  const app = Fastify({
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkEveryMs },
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.idleMs,
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : newId();
    },
  });
  app.decorateRequest('principal', undefined);
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 64 * 1024, handleProtocols: (protocols: Set<string>) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false) },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    checkHostAndOrigin(request, port);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', csp(port));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cache-control', 'no-store');
    return payload;
  });
  app.setErrorHandler((error, request, reply) => sendError(reply, request, error));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, request, new AppError('NotFound', `Nothing here: ${request.method} ${request.url.split('?')[0]}`)),
  );

  registerSessionRoutes(app, options.auth, limiter);

  const guard = signedIn(options.auth, limiter);
  // Refused upgrades are answered in HTTP (401, 400) before the socket is upgraded.
  app.get('/ws', { websocket: true, onRequest: [guard, wsProtocol] }, async (socket) => {
    push.add(socket, options.hello ? await options.hello() : undefined);
  });

  registerRpc(app, options.handlers, [guard, jsonUtf8], options.storeOf);

  if (options.rendererDir && fs.existsSync(options.rendererDir)) {
    await app.register(fastifyStatic, { root: options.rendererDir, index: 'index.html', wildcard: false });
  }

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    push,
    url,
    port,
    async close() {
      push.closeAll();
      await app.close();
    },
  };
}

export function sendError(reply: FastifyReply, request: FastifyRequest, error: unknown) {
  const appError = toAppError(error);
  if (appError.code === 'Internal') log.error({ err: error, requestId: request.id }, 'internal error');
  if (appError.code === 'MethodNotAllowed') reply.header('allow', 'POST');
  if (appError.retryAfterSeconds !== undefined) reply.header('retry-after', String(appError.retryAfterSeconds));
  return reply.status(appError.status).send({ error: appError.toWire(request.id, localeFrom(request.headers['accept-language'])) });
}

function csp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

export { requestContext };
