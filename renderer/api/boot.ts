import type { Bootstrap } from '../../shared/contract/push.js';

export interface Connection {
  apiBase: string;
  secret?: string;
  /** Browser mode only: the link's one-time code was refused (wrong, or already used by another tab). */
  codeRefused: boolean;
}

export interface BootEnv {
  bridge?: { bootstrap(): Promise<Bootstrap> };
  href: string;
  fetch: typeof fetch;
  /** Rewrites the address bar without reloading (history.replaceState). */
  replaceUrl(url: string): void;
}

/**
 * Electron hands over the node's address and secret; a browser trades the printed link's one-time code for a
 * session cookie. The code is removed from the address bar at once so it is not bookmarked or shared.
 */
export async function resolveConnection(env: BootEnv): Promise<Connection> {
  if (env.bridge) {
    const { apiUrl, secret } = await env.bridge.bootstrap();
    return { apiBase: apiUrl.replace(/\/+$/, ''), secret, codeRefused: false };
  }
  const url = new URL(env.href);
  const code = url.searchParams.get('code');
  if (!code) return { apiBase: '', codeRefused: false };
  url.searchParams.delete('code');
  env.replaceUrl(url.pathname + url.search + url.hash);
  try {
    const res = await env.fetch('/auth/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
      credentials: 'same-origin',
    });
    return { apiBase: '', codeRefused: res.status === 401 };
  } catch {
    // The first API call reports the node as unavailable, with the usual wording; nothing to add here.
    return { apiBase: '', codeRefused: false };
  }
}

/** Ends the browser's session: the node forgets it and clears the cookie. */
export async function signOut(fetchFn: typeof fetch): Promise<void> {
  await fetchFn('/auth/session', { method: 'DELETE', credentials: 'same-origin' });
}
