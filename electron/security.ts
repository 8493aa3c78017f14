import { app, session, type WebContents } from 'electron';
import { createLogger } from './log.js';

/**
 * The renderer only ever shows pages served by our own local node. Everything here narrows Chromium to that one
 * origin, so a compromised page (or a malicious product name rendered as HTML by a bug) cannot reach the OS,
 * another site, or a new window. Follows Electron's security checklist.
 */
const log = createLogger('electron.security');

export function isNodeOrigin(apiUrl: string, url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    return new URL(url).origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}

export function contentSecurityPolicy(apiUrl: string): string {
  const { host } = new URL(apiUrl);
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React and the component library set style attributes; scripts stay strict.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    // 'self' does not reliably cover ws: in Chromium, so the node's WebSocket is named explicitly.
    `connect-src 'self' ws://${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** No camera, notifications, geolocation, HID…: a till needs none, and printing goes through main later. */
export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** Sets the CSP as a header so it holds even if the node forgets it or a page is served without the meta tag. */
export function installContentSecurityPolicy(apiUrl: string): void {
  const csp = contentSecurityPolicy(apiUrl);
  const filter = { urls: [`${new URL(apiUrl).origin}/*`] };
  session.defaultSession.webRequest.onHeadersReceived(filter, (details, callback) => {
    if (!isNodeOrigin(apiUrl, details.url)) {
      callback({});
      return;
    }
    const responseHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Header names are case-insensitive; a second, weaker policy from the server must not survive.
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value;
    }
    responseHeaders['Content-Security-Policy'] = [csp];
    callback({ responseHeaders });
  });
}

export function guardWebContents(contents: WebContents, apiUrl: string): void {
  const stayOnNode = (event: { url: string; preventDefault(): void }): void => {
    if (isNodeOrigin(apiUrl, event.url)) return;
    event.preventDefault();
    log.warn('blocked navigation away from the local node', { url: event.url });
  };
  contents.on('will-navigate', stayOnNode);
  contents.on('will-redirect', stayOnNode);
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('blocked window.open', { url });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Applied once, before the first window, so no web contents exist unguarded. */
export function applySecurity(apiUrl: string): void {
  denyAllPermissions();
  installContentSecurityPolicy(apiUrl);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, apiUrl));
}
