import type { EventDraft, EventEnvelope } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { emptyHead, sealEvents, type ChainHead } from '../../node/journal/chain.js';

const created = (name: string): EventDraft => ({
  type: 'ProductCreated',
  payload: { productId: newId(), name, sku: null, barcodes: [], price: 1000, currency: 'ARS', cost: null, taxRateBp: 2100, category: null, unit: 'unit', trackStock: true, minStock: null },
});

/**
 * `n` sealed events of one device (products created), continuing `head`, `stepMs` apart from `start`: by default
 * 20 minutes, so they fall in several hours and days.
 */
export function deviceLog(storeId: string, deviceId: string, n: number, start = Date.UTC(2026, 10, 1, 22, 0), head: ChainHead = emptyHead(deviceId), stepMs = 20 * 60_000): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  for (let i = 0; i < n; i++) {
    const sealed = sealEvents(head, [created(`Producto ${deviceId.slice(-4)} ${head.seq + 1}`)], { storeId, deviceId, commandId: newId(), actorId: 'cajero', now: new Date(start + i * stepMs), newId });
    head = sealed.head;
    out.push(...sealed.events);
  }
  return out;
}
