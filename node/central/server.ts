import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { alertRequest, credentialsPushRequest, enrollRequest, FED_PREFIX, fedHeaders, pushRequest, rangeRequest } from '../../shared/federation.js';
import { newId } from '../../shared/ids.js';
import { parseOrThrow } from '../api/errors.js';
import { sendError } from '../api/server.js';
import { allProjections } from '../domains.js';
import { createLogger, requestContext } from '../log.js';
import { CREDENTIALS_PULL_MAX, pullCredentials, storeCredentials } from './credentials.js';
import { registerReportRoute } from './device-status.js';
import { recordRelayAlert } from './alerts.js';
import type { CentralDb } from './database.js';
import { enroll } from './enrollment.js';
import { DEFAULT_GRANT_POLICY, grantRange, type GrantPolicy } from './grants.js';
import { ingest } from './ingest.js';
import type { StoreNotifier } from './notify.js';
import { checkpoint, ownTail, pull, PULL_CURSOR, PULL_MAX } from './pull.js';
import { registerReconcileRoutes } from './reconcile-routes.js';
import { takeSnapshot } from './snapshot.js';
import { DEFAULT_RATE_LIMIT, precheckSigned, verifySigned, type RateLimit, type SignedDevice } from './signature.js';

const log = createLogger('central-api');
const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** A push carries at most 4 MB of events (shared/federation.ts); a little room for the envelope. */
export const FED_BODY_LIMIT = 5 * 1024 * 1024;
export const CENTRAL_TIME_HEADER = fedHeaders.centralTime;

declare module 'fastify' {
  interface FastifyRequest {
    rawBody: Buffer | undefined;
    device: SignedDevice | undefined;
  }
}

export interface FedOptions {
  central: CentralDb;
  notifier: StoreNotifier;
  rateLimit?: RateLimit;
  grants?: GrantPolicy;
}

const cursorQuery = z.object({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(PULL_MAX).default(1000),
});
const pullQuery = cursorQuery.extend({ after: z.string().regex(PULL_CURSOR, 'a pull cursor as the central gave it').default('0') });

/** The federation API (shared/federation.ts) on a Fastify instance: enrollment, signed push/pull/grants, the WebSocket. */
export async function createFedApp(options: FedOptions): Promise<FastifyInstance> {
  const { central, notifier } = options;
  const db = central.db;
  const app = Fastify({
    // Devices on shop networks can be slow, but a request that dribbles for a minute is holding a socket.
    requestTimeout: 60_000,
    connectionTimeout: 120_000,
    keepAliveTimeout: 30_000,
    loggerInstance: log as FastifyBaseLogger,
    // One key for the correlation id in every log line, the node's and the central's (R20).
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: FED_BODY_LIMIT,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : newId();
    },
  });
  app.decorateRequest('rawBody', undefined);
  app.decorateRequest('device', undefined);
  // JSON only (anything else is 415 before the signature is checked); the signature covers the raw bytes: keep them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(new AppError('ValidationError', 'The request body is not valid JSON.'), undefined);
    }
  });
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
  // Every answer (refusals too) carries the central's clock in ms: a terminal whose clock is hours off signs with
  // the central's time (its own plus the offset it saw), or every signed call would fall outside the window.
  // Set as the answer leaves (not when the request arrived): a slow push must not read as a clock behind.
  app.addHook('onRequest', async (request, reply) => void reply.header('x-request-id', request.id));
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header(CENTRAL_TIME_HEADER, String(Date.now()));
    return payload;
  });
  // The rest of the request runs with its id in context: every module's log lines carry it (R20), as on the node.
  app.addHook('onRequest', (request, _reply, done) => requestContext.run({ requestId: request.id }, done));
  app.setErrorHandler((error, request, reply) => {
    const tooLarge = (error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    const kb = Math.floor((request.routeOptions.bodyLimit ?? FED_BODY_LIMIT) / 1024);
    return sendError(reply, request, tooLarge ? new AppError('PayloadTooLarge', `The request is too large (at most ${kb} KB): send smaller batches.`) : error);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, request, new AppError('NotFound', `Nothing here: ${request.method} ${request.url.split('?')[0]}`)));

  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const signed = async (request: FastifyRequest) => {
    request.device = await verifySigned(db, { method: request.method, url: request.url, headers: request.headers, body: request.rawBody }, rateLimit);
  };
  const precheck = async (request: FastifyRequest) => void precheckSigned({ method: request.method, url: request.url, headers: request.headers });
  const deviceOf = (request: FastifyRequest): SignedDevice => {
    if (!request.device) throw new AppError('Unauthorized', 'Federation request refused: not signed.');
    return request.device;
  };

  app.get(`${FED_PREFIX}/health`, async () => ({ ok: true, centralTime: new Date().toISOString() }));

  app.post(`${FED_PREFIX}/enroll`, { bodyLimit: 4096 }, async (request) => enroll(db, parseOrThrow(enrollRequest, request.body)));

  app.post(`${FED_PREFIX}/push`, { onRequest: precheck, preHandler: signed }, async (request) => {
    const device = deviceOf(request);
    const { events } = parseOrThrow(pushRequest, request.body);
    const result = await ingest(db, device, events);
    if (result.inserted > 0) await notifier.publish(device.storeId);
    return result;
  });

  app.get(`${FED_PREFIX}/checkpoint`, { onRequest: precheck, preHandler: signed }, async (request) => checkpoint(db, deviceOf(request)));

  app.get(`${FED_PREFIX}/pull`, { onRequest: precheck, preHandler: signed }, async (request) => {
    const { after, limit } = parseOrThrow(pullQuery, request.query);
    return pull(db, deviceOf(request), after, limit);
  });

  app.get(`${FED_PREFIX}/own`, { onRequest: precheck, preHandler: signed }, async (request) => {
    const { after, limit } = parseOrThrow(cursorQuery, request.query);
    return ownTail(db, deviceOf(request), after, limit);
  });

  app.post(`${FED_PREFIX}/fiscal/ranges`, { onRequest: precheck, preHandler: signed, bodyLimit: 128 * 1024 }, async (request) => {
    const device = deviceOf(request);
    const result = await grantRange(central, device, parseOrThrow(rangeRequest, request.body), options.grants ?? DEFAULT_GRANT_POLICY);
    if (result.granted) await notifier.publish(device.storeId);
    return result;
  });

  // PIN and password hashes, outside the event log (docs/decisions/0013-credentials-federation.md); a revoked device
  // is refused by the signature check like on every route.
  app.post(`${FED_PREFIX}/credentials`, { onRequest: precheck, preHandler: signed, bodyLimit: 1024 * 1024 }, async (request) => {
    const device = deviceOf(request);
    const result = await storeCredentials(db, device, parseOrThrow(credentialsPushRequest, request.body).credentials);
    if (result.stored > 0) await notifier.publish(device.storeId);
    return result;
  });

  app.get(`${FED_PREFIX}/credentials`, { onRequest: precheck, preHandler: signed }, async (request) => {
    const { after, limit } = parseOrThrow(cursorQuery.extend({ limit: z.coerce.number().int().min(1).max(CREDENTIALS_PULL_MAX).default(CREDENTIALS_PULL_MAX) }), request.query);
    return pullCredentials(db, deviceOf(request), after, limit);
  });
  app.post(`${FED_PREFIX}/alerts`, { onRequest: precheck, preHandler: signed, bodyLimit: 4096 }, async (request) =>
    recordRelayAlert(db, deviceOf(request), parseOrThrow(alertRequest, request.body)),
  );

  // A joining terminal's start (docs/decisions/0012-snapshot.md): NDJSON, gzipped when the client takes it.
  app.get(`${FED_PREFIX}/snapshot`, { onRequest: precheck, preHandler: signed }, async (request, reply) => {
    const snapshot = await takeSnapshot(db, deviceOf(request).storeId, allProjections);
    const body = Readable.from(snapshot.lines.map((line) => `${line}\n`));
    reply.header('content-type', 'application/x-ndjson').header('x-mostrador-snapshot-bytes', String(snapshot.bytes));
    if (!/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.send(body);
    return reply.header('content-encoding', 'gzip').send(body.pipe(createGzip({ level: 6 })));
  });

  registerReconcileRoutes(app, db, notifier, { onRequest: precheck, preHandler: signed }, deviceOf);
  registerReportRoute(app, db, { onRequest: precheck, preHandler: signed }, deviceOf);

  const sockets = new Map<string, Set<WebSocket>>();
  const deviceOfSocket = new WeakMap<WebSocket, string>();
  const unsubscribe = notifier.subscribe((storeId) => {
    for (const socket of sockets.get(storeId) ?? []) socket.send(JSON.stringify({ type: 'more', storeId }));
  });
  const unsubscribeRevoked = notifier.onRevoked((deviceId) => {
    for (const set of sockets.values()) for (const socket of set) if (deviceOfSocket.get(socket) === deviceId) socket.close(4401, 'device revoked');
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    unsubscribeRevoked();
    for (const set of sockets.values()) for (const socket of set) socket.close(1001, 'central stopping');
  });
  // Signed in the upgrade request (refused with 401 before the upgrade); then the central only ever says "more".
  app.get(`${FED_PREFIX}/ws`, { websocket: true, onRequest: signed }, (socket, request) => {
    const { storeId, deviceId } = deviceOf(request);
    deviceOfSocket.set(socket, deviceId);
    const set = sockets.get(storeId) ?? new Set<WebSocket>();
    sockets.set(storeId, set.add(socket));
    socket.on('close', () => {
      set.delete(socket);
      if (set.size === 0) sockets.delete(storeId);
    });
    socket.on('message', () => socket.close(1008, 'the central does not take messages here'));
  });
  return app;
}
