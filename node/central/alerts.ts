import { v5 as uuidv5 } from 'uuid';
import type { z } from 'zod';
import type { alertRequest } from '../../shared/federation.js';
import type { Db } from '../db/types.js';
import { createLogger } from '../log.js';
import type { SignedDevice } from './signature.js';

const log = createLogger('central-api');
/** The namespace of relay alert ids: one id per device, event and moment, so a resent alert is recorded once. */
const RELAY_ALERTS = '5b0c7a52-3f0e-4d8e-9c53-0b1f7f3c9e11';

/**
 * A dead letter the relay raised itself (the central answered but kept failing its batch, R9): recorded in
 * `central_alerts` for the operator (/admin/v1/alerts), once per device, event and `at` however often it is sent.
 */
export async function recordRelayAlert(db: Db, device: SignedDevice, alert: z.infer<typeof alertRequest>): Promise<{ recorded: boolean }> {
  const alertId = uuidv5(`${device.deviceId}\n${alert.eventId}\n${alert.at}`, RELAY_ALERTS);
  const rows = await db.write((tx) =>
    tx.query(
      `INSERT INTO central_alerts (store_id, alert_id, device_id, event_id, reason) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (store_id, alert_id) DO NOTHING RETURNING 1`,
      [device.storeId, alertId, device.deviceId, alert.eventId, `relay dead letter: ${alert.reason}`.slice(0, 500)],
    ),
  );
  if (rows.length > 0) log.error({ storeId: device.storeId, deviceId: device.deviceId, eventId: alert.eventId, reason: alert.reason }, 'ALERT: a relay halted on a dead letter');
  return { recorded: rows.length > 0 };
}
