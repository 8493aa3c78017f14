import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireEvent } from '../../shared/federation.js';
import { enrollDevice, fedCall, nextEvents, startTestCentral } from '../../test/support/central.js';
import { tempDir } from '../../test/support/tmp.js';
import type { RunningCentral } from './app.js';
import type { GrantResult } from './grants.js';
import { signedHeaders } from './signature.js';

/** The demo's central: PGlite in a data folder, one process, notifications in-process. */
const folder = tempDir('mostrador-central-');
let central: RunningCentral;

beforeAll(async () => {
  central = await startTestCentral({ dataDir: folder.dir });
}, 300_000); // a central folder has no template: its first start runs initdb

afterAll(async () => {
  await central?.close();
  folder.remove();
});

describe('a central on PGlite', () => {
  it('enrolls, ingests, notifies, grants and serves the pull', async () => {
    const a = await enrollDevice(central);
    const b = await enrollDevice(central, a.storeId);
    const path = '/fed/v1/ws';
    const socket = new WebSocket(`${central.url.replace('http', 'ws')}${path}`, { headers: signedHeaders(b, 'GET', path) });
    const messages: unknown[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => socket.on('open', resolve).on('error', reject));
    expect((await fedCall(central.url, a, 'POST', '/push', { events: nextEvents(a, 5) })).body).toMatchObject({ ackedSeq: 5, inserted: 5 });
    await expect.poll(() => messages.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const grant = await fedCall<GrantResult>(central.url, a, 'POST', '/fiscal/ranges', { series: 'B-0001', docType: 'ticket' });
    expect(grant.body).toMatchObject({ granted: true, range: { first: 1, last: 500 } });
    const pulled = await fedCall<{ events: WireEvent[]; cursor: string }>(central.url, b, 'GET', '/pull?after=0');
    expect(pulled.body.events.map((e) => e.type)).toEqual([...Array(5).fill('ProductCreated'), 'FiscalRangeGranted']);
    expect(pulled.body.cursor).toMatch(/^6\.[0-9a-f-]{36}$/);
    socket.close();
  }, 60_000);
});
