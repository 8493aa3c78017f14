import type { DomainEvent } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import type { WriteTx } from '../db/types.js';
import type { ProjectionState } from '../journal/projection.js';
import { createLogger } from '../log.js';
import { overRefundOf, overRefundReason } from '../sales/overrefund.model.js';
import { salesProjection } from '../sales/sales.projection.js';

const log = createLogger('central-alerts');

const SALE_EVENTS: ReadonlySet<string> = new Set(['SaleCreated', 'SaleVoided', 'SaleRefunded']);

/**
 * One alert per over-refunded line (node/sales/overrefund.model.ts) of the sales a folded batch touched, keyed by
 * sale and line: a re-ingest, a duplicate or a reconciliation replay finds the row already there and adds nothing;
 * a later refund of the same line rewrites its reason. Runs after the batch is folded, in its transaction, on the
 * sales rows it has just written (loaded and locked by the projection, so two central processes take turns).
 */
export async function alertOverRefunds(tx: WriteTx, storeId: string, state: ProjectionState, events: readonly DomainEvent[]): Promise<number> {
  const saleIds = [...new Set(events.filter((e) => SALE_EVENTS.has(e.type)).map((e) => (e.payload as { saleId: string }).saleId))].sort();
  const alerts: { alert_id: string; device_id: string; event_id: string; reason: string; alert_key: string }[] = [];
  for (const saleId of saleIds) {
    const row = await state.get(salesProjection, saleId);
    const found = row ? overRefundOf(row) : undefined;
    if (!found) continue;
    for (const line of found.lines) {
      // The alert points at the refund that went past (the last one in clock order), the reason names all of them.
      const last = found.refunds.filter((r) => r.lines.some((l) => l.lineId === line.lineId)).at(-1)!;
      alerts.push({ alert_id: newId(), device_id: last.deviceId, event_id: last.eventId, reason: overRefundReason(found, line), alert_key: `overRefund:${saleId}:${line.lineId}` });
    }
  }
  if (alerts.length === 0) return 0;
  const raised = await tx.query<{ alert_key: string; reason: string }>(
    `INSERT INTO central_alerts (store_id, alert_id, device_id, event_id, reason, kind, alert_key)
     SELECT $1, a.alert_id, a.device_id, a.event_id, a.reason, 'overRefund', a.alert_key
     FROM jsonb_to_recordset($2::jsonb) AS a(alert_id uuid, device_id uuid, event_id text, reason text, alert_key text)
     ON CONFLICT (store_id, alert_key) WHERE alert_key IS NOT NULL DO UPDATE
       SET reason = excluded.reason, device_id = excluded.device_id, event_id = excluded.event_id, updated_at = now()
       WHERE central_alerts.reason IS DISTINCT FROM excluded.reason
     RETURNING alert_key, reason`,
    [storeId, JSON.stringify(alerts)],
  );
  for (const r of raised) log.error({ storeId, alertKey: r.alert_key, reason: r.reason }, 'ALERT: a sale was refunded past what was sold');
  return raised.length;
}
