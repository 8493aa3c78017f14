import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Log lines are written (at info) from the first import on: the level is read when node/log.ts loads.
vi.hoisted(() => {
  process.env.MOSTRADOR_LOG_LEVEL = 'info';
});

import { newId } from '../../shared/ids.js';
import { startNode, type RunningNode } from '../app.js';
import type { RunningCentral } from '../central/app.js';
import { createEnrollmentCode } from '../central/enrollment.js';
import { logsDir, logToDataDir } from '../log.js';
import { startTestCentral } from '../../test/support/central.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { tempDir } from '../../test/support/tmp.js';

interface Line {
  module?: string;
  requestId?: string;
  msg?: string;
  req?: { url?: string };
}

/**
 * R20: one correlation id from the UI through the node to the central. The renderer sends x-request-id with each API
 * call (renderer/api/client.ts); here the same id must show in the node's log lines for the call and in the central's
 * log lines for the requests the relay made on its behalf. Node and central run in this process, so their lines land
 * in the one log file of logToDataDir, told apart by module.
 */
describe('the correlation id of a sync, in the node log and the central log', { timeout: 240_000 }, () => {
  const tmp = tempDir('mostrador-fed-correlation-');
  let flush: () => void;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let central: RunningCentral;
  let node: RunningNode;

  beforeAll(async () => {
    flush = await logToDataDir(path.join(tmp.dir, 'log'), false);
    database = await createTestDatabase('mostrador_fed_corr');
    central = await startTestCentral({ databaseUrl: database.url });
    node = await startNode({ dataDir: path.join(tmp.dir, 'node'), port: 0, federation: { pollMs: 3_600_000, realtime: false, timeoutMs: 20_000 } });
    const { code } = await createEnrollmentCode(central.central.db, {});
    await node.federation!.enroll({ centralUrl: central.url, code });
    await node.federation!.syncNow();
    await node.federation!.reconciled();
  }, 120_000);

  afterAll(async () => {
    await node?.close();
    await central?.close();
    await database?.drop();
    tmp.remove();
  });

  const lines = (): Line[] => {
    flush();
    const dir = logsDir(path.join(tmp.dir, 'log'));
    return fs
      .readdirSync(dir)
      .flatMap((file) => fs.readFileSync(path.join(dir, file), 'utf8').split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Line);
  };

  it('federation.syncNow called with x-request-id: the node logs the call and the central logs the relay’s requests with that id', async () => {
    const requestId = newId();
    const response = await fetch(`${node.api.url}/api/federation.syncNow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.auth.secret}`, 'x-request-id': requestId },
      body: JSON.stringify({ input: {} }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(requestId);

    // The rolling log file is written a moment later on a loaded machine.
    const urls = () => lines().filter((l) => l.requestId === requestId).map((l) => `${l.module} ${l.req?.url?.split('?')[0]}`);
    await expect.poll(urls, { timeout: 10_000 }).toEqual(expect.arrayContaining(['api /api/federation.syncNow', 'central-api /fed/v1/pull', 'central-api /fed/v1/report']));
    const tagged = lines().filter((l) => l.requestId === requestId);
    const atNode = tagged.filter((l) => l.module === 'api');
    const atCentral = tagged.filter((l) => l.module?.startsWith('central'));
    expect(atNode.map((l) => l.req?.url)).toContain('/api/federation.syncNow');
    // The round's pull and the status report that follows it, as the central logged them.
    const centralUrls = atCentral.map((l) => l.req?.url?.split('?')[0]);
    expect(centralUrls).toContain('/fed/v1/pull');
    expect(centralUrls).toContain('/fed/v1/report');
    // Nothing else in the file carries the id: it belongs to this call alone.
    expect(tagged.every((l) => l.module === 'api' || l.module?.startsWith('central') || l.module === 'relay' || l.module === 'reconcile')).toBe(true);

    // A call without an id gets its own, different one at both ends.
    const other = await fetch(`${node.api.url}/api/federation.syncNow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.auth.secret}` },
      body: JSON.stringify({ input: {} }),
    });
    const otherId = other.headers.get('x-request-id')!;
    expect(otherId).toMatch(/^[0-9a-f-]{36}$/);
    expect(otherId).not.toBe(requestId);
    await expect.poll(() => lines().some((l) => l.requestId === otherId && l.module?.startsWith('central')), { timeout: 10_000 }).toBe(true);
  });

  it('a command called with x-request-id: the push its commit kicks reaches the central with that id', async () => {
    // A round the relay is already running could push the new event under its own id: start from a quiet relay.
    await node.federation!.syncNow();
    const requestId = newId();
    const response = await fetch(`${node.api.url}/api/products.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.auth.secret}`, 'x-request-id': requestId },
      body: JSON.stringify({ input: { name: 'Yerba 1 kg', price: 450_000 }, commandId: newId() }),
    });
    expect(response.status).toBe(200);
    const pushed = () => lines().some((l) => l.requestId === requestId && l.module === 'central-api' && l.req?.url === '/fed/v1/push');
    await expect.poll(pushed, { timeout: 60_000, interval: 200 }).toBe(true);
  });
});
