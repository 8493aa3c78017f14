import { isTopic } from '../../shared/domains/index.js';
import {
  nodeStatusSchema,
  WS_BEARER_PREFIX,
  WS_PROTOCOL,
  type PushMessage,
} from '../../shared/contract/index.js';

export type LinkState = 'connecting' | 'live' | 'reconnecting';

/** The slice of the WebSocket API we use, so tests can hand in a fake. */
export interface SocketLike {
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  close(): void;
}
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface PushHandlers {
  message(msg: PushMessage): void;
  state(state: LinkState): void;
  /** A connection came back after a gap: pushes may have been missed, so what is shown must be re-read. */
  reopened(): void;
}

export interface PushOptions {
  url: string;
  protocols: string[];
  socket?: SocketFactory;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** The node sends a status every few seconds; silence this long means a half-open link (a laptop slept). */
  staleAfterMs?: number;
  random?: () => number;
}

/** ws:// next to http://, same host; browser mode passes '' and uses the page's own origin. */
export function pushUrl(apiBase: string, pageHref: string): string {
  const url = new URL('/ws', apiBase || pageHref);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export const pushProtocols = (secret?: string): string[] =>
  secret ? [WS_PROTOCOL, WS_BEARER_PREFIX + secret] : [WS_PROTOCOL];

/** Anything that does not look like a message we know is dropped: a newer node may send more types. */
export function parsePush(data: unknown): PushMessage | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  const msg = value as { type?: unknown; status?: unknown; topics?: unknown } | null;
  if (msg?.type === 'status') {
    const status = nodeStatusSchema.safeParse(msg.status);
    return status.success ? { type: 'status', status: status.data } : undefined;
  }
  if (msg?.type === 'changed' && Array.isArray(msg.topics)) {
    return { type: 'changed', topics: msg.topics.filter(isTopic) };
  }
  return undefined;
}

export function backoffDelay(attempt: number, min: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, min * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Keeps one WebSocket open, reconnecting with jittered exponential backoff until `close()`. */
export function connectPush(opts: PushOptions, on: PushHandlers): { close(): void } {
  const factory: SocketFactory = opts.socket ?? ((url, protocols) => new WebSocket(url, protocols));
  const minDelay = opts.minDelayMs ?? 500;
  const maxDelay = opts.maxDelayMs ?? 15_000;
  const staleAfter = opts.staleAfterMs ?? 20_000;
  const random = opts.random ?? Math.random;

  let socket: SocketLike | undefined;
  let attempt = 0;
  let everOpened = false;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let staleTimer: ReturnType<typeof setTimeout> | undefined;

  const watch = (s: SocketLike) => {
    clearTimeout(staleTimer);
    staleTimer = setTimeout(() => s.close(), staleAfter);
  };

  const open = () => {
    on.state(everOpened ? 'reconnecting' : 'connecting');
    const s = factory(opts.url, opts.protocols);
    socket = s;
    s.onopen = () => {
      attempt = 0;
      on.state('live');
      if (everOpened) on.reopened();
      everOpened = true;
      watch(s);
    };
    s.onmessage = (ev) => {
      watch(s);
      const msg = parsePush(ev.data);
      if (msg) on.message(msg);
    };
    s.onerror = () => s.close();
    s.onclose = () => {
      if (socket !== s) return;
      socket = undefined;
      clearTimeout(staleTimer);
      if (stopped) return;
      on.state(everOpened ? 'reconnecting' : 'connecting');
      retryTimer = setTimeout(open, backoffDelay(attempt++, minDelay, maxDelay, random));
    };
  };

  open();
  return {
    close() {
      stopped = true;
      clearTimeout(retryTimer);
      clearTimeout(staleTimer);
      socket?.close();
      socket = undefined;
    },
  };
}
