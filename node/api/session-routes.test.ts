import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../../test/support/node.js';
import { tempDir } from '../../test/support/tmp.js';
import type { Handlers } from '../handlers.js';
import { LocalAuth, SESSION_COOKIE, SESSION_TTL_MS } from './auth.js';
import { startApi, type ApiServer } from './server.js';
import type { SessionStore, StoredSession } from './sessions.js';

const DAY = 24 * 60 * 60 * 1000;

describe('a browser session in use', () => {
  const tmp = tempDir('mostrador-slide-');
  let api: ApiServer | undefined;
  afterAll(async () => {
    await api?.close();
    tmp.remove();
  });

  it('has its expiry and its cookie pushed forward about once a day', async () => {
    fs.writeFileSync(path.join(tmp.dir, 'index.html'), '<!doctype html><title>t</title>');
    const saved: StoredSession[] = [];
    const store: SessionStore = { live: async () => [], save: async (s) => void saved.push(s), remove: async () => undefined };
    let clock = Date.UTC(2026, 10, 29, 12);
    const auth = await LocalAuth.open(store, undefined, () => clock);
    api = await startApi({ handlers: {} as Handlers, auth, storeOf: () => ({ storeId: 's', currency: 'ARS' }), rendererDir: tmp.dir });
    const signIn = await request(`${api.url}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: auth.oneTimeCode }),
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);

    const page = () => request(`${api!.url}/`, { headers: { cookie } });
    expect((await page()).headers['set-cookie']).toBeUndefined();
    clock += 3 * DAY;
    const later = await page();
    expect(String(later.headers['set-cookie'])).toContain(`Max-Age=${SESSION_TTL_MS / 1000}`);
    expect(saved.at(-1)!.expiresAt).toBe(clock + SESSION_TTL_MS);
    expect((await page()).headers['set-cookie']).toBeUndefined();
  });
});
