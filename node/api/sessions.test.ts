import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../app.js';
import { openDataDir, type OpenStore } from '../runtime/open.js';
import { request } from '../../test/support/node.js';
import { tempDir } from '../../test/support/tmp.js';
import { CODE_TTL_MS, LocalAuth, SESSION_COOKIE, SESSION_TTL_MS } from './auth.js';
import { dbSessionStore, tokenHash } from './sessions.js';

const DAY = 24 * 60 * 60 * 1000;
const asRequest = (token: string) => ({ headers: {}, cookies: { [SESSION_COOKIE]: token } }) as never;

describe('sign-in codes and sessions (migration 0006 over a migrated folder)', () => {
  const folder = tempDir('mostrador-sessions-');
  let store: OpenStore;
  let clock = Date.UTC(2026, 10, 29, 12);
  const now = () => clock;

  beforeAll(async () => {
    store = await openDataDir(folder.dir);
  });
  afterAll(async () => {
    await store.close();
    folder.remove();
  });

  it('a code works once, and not after ten minutes', async () => {
    const auth = await LocalAuth.open(dbSessionStore(store.db), undefined, now);
    const code = auth.oneTimeCode!;
    await auth.exchange(code);
    await expect(auth.exchange(code)).rejects.toMatchObject({ code: 'Unauthorized' });
    const late = auth.renewCode();
    clock += CODE_TTL_MS + 1;
    await expect(auth.exchange(late)).rejects.toMatchObject({ code: 'Unauthorized' });
    expect(auth.oneTimeCode).toBeUndefined();
  });

  it('keeps only a hash of the session, which a restarted node still knows, until it expires unused', async () => {
    const first = await LocalAuth.open(dbSessionStore(store.db), undefined, now);
    const token = await first.exchange(first.oneTimeCode);
    const rows = await store.db.query<{ token_sha256: string }>('SELECT token_sha256 FROM local_session');
    expect(rows.map((r) => r.token_sha256)).toContain(tokenHash(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    const restarted = await LocalAuth.open(dbSessionStore(store.db), undefined, now);
    expect(restarted.principalOf(asRequest(token))).toMatchObject({ staffRole: 'owner', via: 'session' });
    clock += SESSION_TTL_MS + 1;
    expect(restarted.principalOf(asRequest(token))).toBeUndefined();
    await LocalAuth.open(dbSessionStore(store.db), undefined, now);
    expect(await store.db.query('SELECT 1 FROM local_session WHERE token_sha256 = $1', [tokenHash(token)])).toEqual([]);
  });

  it('slides the expiry of a session in use about once a day', async () => {
    const auth = await LocalAuth.open(dbSessionStore(store.db), undefined, now);
    const token = await auth.exchange(auth.oneTimeCode);
    expect(await auth.slide(token)).toBe(false);
    clock += 2 * DAY;
    expect(await auth.slide(token)).toBe(true);
    clock += SESSION_TTL_MS - DAY;
    expect(auth.principalOf(asRequest(token))).toBeDefined();
  });

  it('refuses a stored hash that is not one', async () => {
    await expect(
      store.db.write((tx) => tx.query("INSERT INTO local_session (token_sha256, expires_at) VALUES ('plain-token', now())")),
    ).rejects.toThrow(/check constraint/);
  });
});

describe('a browser session over HTTP', () => {
  const tmp = tempDir('mostrador-session-');
  let node: RunningNode;
  afterAll(async () => {
    await node?.close();
    tmp.remove();
  });

  const status = (cookie: string) =>
    request(`${node.api.url}/api/system.status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: '{"input":{}}',
    });

  it('survives a restart on the same folder and ends with sign-out', { timeout: 180_000 }, async () => {
    node = await startNode({ dataDir: tmp.dir });
    const signIn = await request(`${node.api.url}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: node.auth.oneTimeCode }),
    });
    expect(signIn.status).toBe(200);
    const setCookie = String(signIn.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toContain(`Max-Age=${SESSION_TTL_MS / 1000}`);
    const cookie = setCookie.split(';')[0]!;
    expect((await status(cookie)).status).toBe(200);

    await node.close();
    node = await startNode({ dataDir: tmp.dir });
    expect((await status(cookie)).status).toBe(200);

    const signOut = await request(`${node.api.url}/auth/session`, { method: 'DELETE', headers: { cookie } });
    expect(signOut.status).toBe(200);
    expect(String(signOut.headers['set-cookie'])).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
    expect((await status(cookie)).status).toBe(401);
  });
});
