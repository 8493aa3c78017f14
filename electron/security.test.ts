import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applySecurity, contentSecurityPolicy, isNodeOrigin } from './security.js';
import { fake, FakeEvent, FakeWebContents } from './testing/fake-electron.js';

vi.mock('electron', () => import('./testing/fake-electron.js').then((m) => m.fake));

const apiUrl = 'http://127.0.0.1:4318';

function guardedContents(): FakeWebContents {
  const contents = new FakeWebContents();
  fake.app.emit('web-contents-created', new FakeEvent(), contents);
  return contents;
}

function headersFor(url: string, responseHeaders: Record<string, string[]> = {}) {
  const listener = fake.session.defaultSession.webRequest.headersListener!;
  let answer: { responseHeaders?: Record<string, string[]> } | undefined;
  listener({ url, responseHeaders }, (response) => (answer = response));
  return answer!;
}

describe('applySecurity', () => {
  beforeEach(() => {
    fake.reset();
    vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    applySecurity(apiUrl);
  });
  afterEach(() => vi.restoreAllMocks());

  it('denies every permission request and check', () => {
    const session = fake.session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'openExternal']) {
      const callback = vi.fn();
      session.permissionRequestHandler!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.permissionCheckHandler!({}, permission)).toBe(false);
    }
  });

  it('denies window.open, whatever the URL', () => {
    const contents = guardedContents();
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: `${apiUrl}/reports` })).toEqual({ action: 'deny' });
  });

  it.each(['will-navigate', 'will-redirect'])('%s stays on the node origin', (eventName) => {
    const contents = guardedContents();
    const away = new FakeEvent('https://evil.example/login');
    const otherPort = new FakeEvent('http://127.0.0.1:9999/');
    const localhostAlias = new FakeEvent('http://localhost:4318/');
    const file = new FakeEvent('file:///etc/passwd');
    const home = new FakeEvent(`${apiUrl}/backoffice/catalog`);
    for (const event of [away, otherPort, localhostAlias, file, home]) contents.emit(eventName, event);
    expect(away.defaultPrevented).toBe(true);
    expect(otherPort.defaultPrevented).toBe(true);
    expect(localhostAlias.defaultPrevented).toBe(true);
    expect(file.defaultPrevented).toBe(true);
    expect(home.defaultPrevented).toBe(false);
  });

  it('prevents attaching a webview', () => {
    const contents = guardedContents();
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('sets the CSP on responses from the node, replacing any the server sent', () => {
    expect(fake.session.defaultSession.webRequest.headersFilter).toEqual({ urls: [`${apiUrl}/*`] });
    const { responseHeaders } = headersFor(`${apiUrl}/`, {
      'content-type': ['text/html'],
      'content-security-policy': ["default-src *"],
    });
    expect(responseHeaders!['content-type']).toEqual(['text/html']);
    expect(responseHeaders!['content-security-policy']).toBeUndefined();
    const csp = responseHeaders!['Content-Security-Policy']!;
    expect(csp).toHaveLength(1);
    const directives = csp[0]!.split(';').map((d) => d.trim());
    expect(directives).toContain("default-src 'self'");
    expect(directives).toContain("object-src 'none'");
    expect(directives).toContain("script-src 'self'");
    expect(directives.filter((d) => d.startsWith('connect-src'))).toEqual(["connect-src 'self' ws://127.0.0.1:4318"]);
  });

  it('leaves responses from other origins alone', () => {
    expect(headersFor('https://evil.example/x', { a: ['b'] })).toEqual({});
  });
});

describe('contentSecurityPolicy', () => {
  it('is built from the announced port', () => {
    expect(contentSecurityPolicy('http://127.0.0.1:50123')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self' ws://127.0.0.1:50123; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; " +
        "form-action 'none'",
    );
  });
});

describe('isNodeOrigin', () => {
  it('compares whole origins and rejects what does not parse', () => {
    expect(isNodeOrigin(apiUrl, `${apiUrl}/a?b#c`)).toBe(true);
    expect(isNodeOrigin(apiUrl, 'http://127.0.0.1:4318.evil.example/')).toBe(false);
    expect(isNodeOrigin(apiUrl, 'https://127.0.0.1:4318/')).toBe(false);
    expect(isNodeOrigin(apiUrl, 'about:blank')).toBe(false);
    expect(isNodeOrigin(apiUrl, 'not a url')).toBe(false);
    expect(isNodeOrigin(apiUrl, '')).toBe(false);
    expect(isNodeOrigin(apiUrl, undefined)).toBe(false);
  });
});
