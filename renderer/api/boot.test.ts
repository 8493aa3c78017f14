import { describe, expect, it, vi } from 'vitest';
import { fakeFetch, json } from '../test/fixtures.js';
import { resolveConnection } from './boot.js';

describe('boot', () => {
  it('uses the Electron bridge when there is one', async () => {
    const bridge = { bootstrap: async () => ({ apiUrl: 'http://127.0.0.1:9/', secret: 'x' }) };
    const env = { bridge, href: 'file:///index.html', fetch: fakeFetch(() => json(200, {})).fetch, replaceUrl: vi.fn() };
    expect(await resolveConnection(env)).toEqual({ apiBase: 'http://127.0.0.1:9', secret: 'x', codeRefused: false });
  });

  it('trades the one-time code for a session and removes it from the address bar', async () => {
    const f = fakeFetch(() => new Response(null, { status: 200 }));
    const replaceUrl = vi.fn();
    const c = await resolveConnection({ href: 'http://127.0.0.1:9/?code=abc&x=1#/products', fetch: f.fetch, replaceUrl });
    expect(f.sent[0]).toMatchObject({ url: '/auth/session', body: { code: 'abc' } });
    expect(replaceUrl).toHaveBeenCalledWith('/?x=1#/products');
    expect(c).toEqual({ apiBase: '', codeRefused: false });
  });

  it('notes a refused code and skips the exchange without one', async () => {
    const refused = fakeFetch(() => new Response(null, { status: 401 }));
    const c = await resolveConnection({ href: 'http://h/?code=old', fetch: refused.fetch, replaceUrl: vi.fn() });
    expect(c.codeRefused).toBe(true);
    const none = fakeFetch(() => json(200, {}));
    await resolveConnection({ href: 'http://h/', fetch: none.fetch, replaceUrl: vi.fn() });
    expect(none.sent).toHaveLength(0);
  });
});
