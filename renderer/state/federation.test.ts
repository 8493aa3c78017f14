import { describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../api/client.js';
import { fakeFetch, json, status } from '../test/fixtures.js';
import { createAppStore } from './store.js';

const fed = {
  enrolled: true,
  centralUrl: 'http://central:8080',
  online: true,
  lastContactAt: '2026-11-29T12:00:00.000Z',
  lastError: null,
  backlog: 0,
  breaker: { state: 'closed', failures: 0, retryAt: null },
  deadLetter: null,
  fiscalNumbersLeft: null,
  lastReconcile: null,
  clockSkewMs: null,
  clockSkewFlagged: false,
  pushAttempts: 0,
  pushAttemptLimit: 10,
};

function storeWith(reply: Parameters<typeof fakeFetch>[0]) {
  const f = fakeFetch(reply);
  const client: ApiClient = createApiClient({ apiBase: '', fetch: f.fetch });
  return { store: createAppStore({ client, now: () => 1_000 }), sent: f.sent };
}

describe('federation slice', () => {
  it('enrolls, then re-reads the status that shows the link', async () => {
    const { store, sent } = storeWith((s) => (s.url.endsWith('/api/system.status') ? json(200, { result: { ...status, federation: fed } }) : json(200, { result: fed })));
    expect(await store.getState().enroll({ centralUrl: 'http://central:8080', code: 'ENROLL-1234' })).toBe(true);
    expect(sent.map((s) => s.url)).toEqual(['/api/federation.enroll', '/api/system.status']);
    expect(sent[0]!.body).toEqual({ input: { centralUrl: 'http://central:8080', code: 'ENROLL-1234' } });
    expect(store.getState().status?.federation).toEqual(fed);
    expect(store.getState()).toMatchObject({ federationBusy: false, federationError: null });
  });

  it('reconciles now, with a long timeout, then re-reads the status with its result', async () => {
    const reconciled = { ...fed, lastReconcile: { at: '2026-11-29T12:01:00.000Z', outcome: 'converged', pulled: 3, pushed: 1, reason: 'converged after 1 round(s) of replay' } };
    const { store, sent } = storeWith((s) => (s.url.endsWith('/api/system.status') ? json(200, { result: { ...status, federation: reconciled } }) : json(200, { result: reconciled })));
    await store.getState().reconcileNow();
    expect(sent.map((s) => s.url)).toEqual(['/api/federation.reconcileNow', '/api/system.status']);
    expect(store.getState().status?.federation?.lastReconcile).toMatchObject({ outcome: 'converged', pulled: 3, pushed: 1 });
    expect(store.getState()).toMatchObject({ federationBusy: false, federationError: null });
  });

  it('keeps the refusal for the panel to show, and is not busy afterwards', async () => {
    const { store } = storeWith(() => json(409, { error: { code: 'Conflict', message: 'Esta terminal no está unida a un servidor central.' } }));
    await store.getState().syncNow();
    expect(store.getState().federationError).toMatchObject({ code: 'Conflict' });
    expect(store.getState().federationBusy).toBe(false);
  });
});
