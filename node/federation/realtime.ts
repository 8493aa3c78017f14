import WebSocket from 'ws';
import { FED_PREFIX, wsMessage } from '../../shared/federation.js';
import { createLogger } from '../log.js';
import { backoffMs } from './backoff.js';
import type { Credentials } from './client.js';
import { signedHeaders } from './signing.js';

const log = createLogger('relay');

/**
 * The central's WebSocket (R11): it only says "there is more", and the node then pulls. Signed in the upgrade
 * request (with the central's time, `now`: this machine's clock may be off); reconnects with backoff; while it is down the relay's polling carries on, so losing it costs latency only.
 */
export function subscribeToCentral(baseUrl: string, credentials: Credentials, onMore: () => void, now: () => number = Date.now): { close(): void } {
  let socket: WebSocket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let closed = false;
  const path = `${FED_PREFIX}/ws`;
  const connect = () => {
    if (closed) return;
    const url = `${baseUrl.replace(/^http/, 'ws')}${path}`;
    socket = new WebSocket(url, { headers: signedHeaders(credentials, { method: 'GET', path }, now()), handshakeTimeout: 10_000 });
    socket.on('open', () => {
      failures = 0;
      // Whatever was said while the socket was down is not lost: the pull catches up from the cursor.
      onMore();
    });
    socket.on('message', (data) => {
      try {
        if (wsMessage.safeParse(JSON.parse(String(data))).success) onMore();
      } catch {
        log.warn('the central sent a WebSocket message this node does not understand');
      }
    });
    socket.on('error', (error) => log.debug({ err: error.message }, 'central WebSocket error'));
    socket.on('close', () => {
      if (closed) return;
      failures += 1;
      timer = setTimeout(connect, backoffMs(failures));
      timer.unref();
    });
  };
  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.removeAllListeners('close');
      socket?.on('error', () => undefined);
      socket?.terminate();
    },
  };
}
