import type { Topic } from '../domains/index.js';
import type { NodeStatus } from './system.js';

/**
 * Messages the node pushes over its WebSocket (`/ws`). Pushes only say what changed; the client re-reads through
 * the API, so a missed push costs a refresh, never a wrong screen.
 */
export type PushMessage =
  | { type: 'status'; status: NodeStatus }
  | { type: 'changed'; topics: Topic[] };

/** WebSocket subprotocols: the first names ours; a second, `bearer.<secret>`, authenticates Electron's renderer. */
export const WS_PROTOCOL = 'mostrador.v1';
export const WS_BEARER_PREFIX = 'bearer.';

/** What Electron's preload hands the renderer (browser mode has none: it is same-origin with a session cookie). */
export interface Bootstrap {
  apiUrl: string;
  secret: string;
}
