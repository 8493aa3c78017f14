import type { NodeStatus, Product } from '../../shared/contract/index.js';
import { newId } from '../../shared/ids.js';

export function product(over: Partial<Product> = {}): Product {
  return {
    id: newId(),
    name: 'Yerba 1 kg',
    sku: null,
    barcodes: ['7790001'],
    cost: null,
    taxRateBp: 0,
    category: null,
    unit: 'unit',
    trackStock: true,
    minStock: null,
    price: 123_450,
    currency: 'ARS',
    createdAt: '2025-01-01T10:00:00.000Z',
    createdBy: 'owner',
    updatedAt: '2025-01-01T10:00:00.000Z',
    updatedBy: 'owner',
    version: 1,
    ...over,
  };
}

export const status: NodeStatus = {
  version: '0.1.0',
  role: 'terminal',
  deviceId: newId(),
  storeId: newId(),
  currency: 'ARS',
  dataDir: '/tmp/mostrador',
  databaseBytes: 5_242_880,
  startedAt: '2025-01-01T10:00:00.000Z',
  uptimeSeconds: 42,
  engine: 'pglite',
  disk: { freeBytes: 2 * 1024 ** 3, reserveBytes: 64 * 1024 ** 2, state: 'ok' },
  journal: { events: 3, lastEventAt: '2025-01-01T10:05:00.000Z', verification: null },
  lastExport: null,
  remote: { parkedEvents: 0, maxClockSkewMs: null },
};

export interface Sent {
  url: string;
  headers: Record<string, string>;
  body: { input: unknown; commandId?: string };
}

/** A fetch that records what was sent and answers from `reply`; `'hang'` never answers until aborted. */
export function fakeFetch(reply: (sent: Sent, n: number) => Response | 'hang' | Error) {
  const sent: Sent[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const entry: Sent = {
      url: String(url),
      headers: init?.headers as Record<string, string>,
      body: JSON.parse(String(init?.body)) as Sent['body'],
    };
    sent.push(entry);
    const answer = reply(entry, sent.length);
    if (answer instanceof Error) throw answer;
    if (answer !== 'hang') return answer;
    return new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

export const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
