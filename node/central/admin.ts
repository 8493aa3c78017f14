import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { parseOrThrow } from '../api/errors.js';
import type { LocalAuth } from '../api/auth.js';
import { SignInLimiter } from '../api/ratelimit.js';
import { registerSessionRoutes } from '../api/session-routes.js';
import type { Db } from '../db/types.js';
import { askReconcile, deviceOverview } from './device-status.js';
import { createEnrollmentCode, revokeDevice } from './enrollment.js';
import type { StoreNotifier } from './notify.js';
import { OPERATOR_PAGE } from './page.js';

export const ADMIN_PREFIX = '/admin/v1';

const codeInput = z.strictObject({ storeId: z.string().uuid().optional(), storeName: z.string().min(1).max(80).optional() });
const storeQuery = z.object({ storeId: z.string().uuid().optional() });
const deviceParams = z.object({ deviceId: z.string().uuid() });

/**
 * The central operator's methods (devices and stores): signed in as a terminal's owner is, with the printed link's
 * one-time code (→ session cookie) or the launch secret as a bearer (node/api/auth.ts).
 */
export function registerAdminRoutes(app: FastifyInstance, db: Db, auth: LocalAuth, notifier: StoreNotifier): void {
  registerSessionRoutes(app, auth, new SignInLimiter());
  app.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'").send(OPERATOR_PAGE),
  );
  const operator = async (request: Parameters<LocalAuth['require']>[0]) => void auth.require(request);

  app.get(`${ADMIN_PREFIX}/devices`, { onRequest: operator }, async (request) => {
    const { storeId } = parseOrThrow(storeQuery, request.query);
    return { devices: await deviceOverview(db, storeId) };
  });

  app.get(`${ADMIN_PREFIX}/devices/:deviceId`, { onRequest: operator }, async (request) => {
    const { deviceId } = parseOrThrow(deviceParams, request.params);
    const [row] = await db.query<{ store_id: string }>('SELECT store_id::text AS store_id FROM central_devices WHERE device_id = $1', [deviceId]);
    const device = row && (await deviceOverview(db, row.store_id)).find((d) => d.deviceId === deviceId);
    if (!device) throw new AppError('NotFound', 'No device with that id is enrolled here.');
    return { device };
  });

  // The central cannot call a terminal: the request waits in the device's row, a "more" makes the store's relays
  // run a round now, and the device's report answer tells it to reconcile (node/central/device-status.ts).
  app.post(`${ADMIN_PREFIX}/devices/:deviceId/reconcile`, { onRequest: operator }, async (request) => {
    const { deviceId } = parseOrThrow(deviceParams, request.params);
    const asked = await askReconcile(db, deviceId);
    if (!asked) throw new AppError('NotFound', 'No enrolled, unrevoked device with that id.');
    await notifier.publish(asked.storeId);
    return { asked: true, askedAt: asked.askedAt };
  });

  app.get(`${ADMIN_PREFIX}/stores`, { onRequest: operator }, async () => ({
    stores: await db.query(
      `SELECT s.store_id::text AS "storeId", s.name, s.created_at AS "createdAt", o.seq AS events,
         (SELECT count(*) FROM central_devices d WHERE d.store_id = s.store_id)::int AS devices
       FROM central_stores s LEFT JOIN store_order o ON o.store_id = s.store_id ORDER BY s.created_at`,
    ),
  }));

  app.get(`${ADMIN_PREFIX}/alerts`, { onRequest: operator }, async (request) => {
    const { storeId } = parseOrThrow(storeQuery, request.query);
    return {
      alerts: await db.query(
        `SELECT store_id::text AS "storeId", kind, device_id::text AS "deviceId", event_id AS "eventId", reason, raised_at AS "raisedAt",
           updated_at AS "updatedAt"
         FROM central_alerts WHERE $1::uuid IS NULL OR store_id = $1 ORDER BY raised_at DESC LIMIT 500`,
        [storeId ?? null],
      ),
    };
  });

  app.post(`${ADMIN_PREFIX}/enrollment-codes`, { onRequest: operator, bodyLimit: 4096 }, async (request) =>
    createEnrollmentCode(db, parseOrThrow(codeInput, request.body ?? {})),
  );

  app.post(`${ADMIN_PREFIX}/devices/:deviceId/revoke`, { onRequest: operator }, async (request) => {
    const { deviceId } = parseOrThrow(deviceParams, request.params);
    if (!(await revokeDevice(db, deviceId))) throw new AppError('NotFound', 'No enrolled, unrevoked device with that id.');
    await notifier.publishRevoked(deviceId);
    return { revoked: true };
  });
}
