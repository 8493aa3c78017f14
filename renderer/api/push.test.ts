import { afterEach, describe, expect, it, vi } from 'vitest';
import { status } from '../test/fixtures.js';
import { backoffDelay, connectPush, parsePush, pushProtocols, pushUrl, type LinkState, type SocketLike } from './push.js';

afterEach(() => {
  vi.useRealTimers();
});

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  constructor(readonly url: string, readonly protocols: string[]) {}
  open() {
    this.onopen?.(new Event('open'));
  }
  send(data: unknown) {
    this.onmessage?.({ data } as MessageEvent);
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.({} as CloseEvent);
  }
}

function setup() {
  vi.useFakeTimers();
  const sockets: FakeSocket[] = [];
  const states: LinkState[] = [];
  const messages: unknown[] = [];
  const reopened = vi.fn();
  const link = connectPush(
    {
      url: 'ws://h/ws',
      protocols: ['mostrador.v1'],
      socket: (url, protocols) => {
        const s = new FakeSocket(url, protocols);
        sockets.push(s);
        return s;
      },
      random: () => 1,
    },
    { message: (m) => messages.push(m), state: (s) => states.push(s), reopened },
  );
  return { sockets, states, messages, reopened, link };
}

describe('push', () => {
  it('builds the ws url and protocols for both modes', () => {
    expect(pushUrl('http://127.0.0.1:4321', 'file:///app/index.html')).toBe('ws://127.0.0.1:4321/ws');
    expect(pushUrl('', 'https://shop.example/back#/products')).toBe('wss://shop.example/ws');
    expect(pushProtocols('abc')).toEqual(['mostrador.v1', 'bearer.abc']);
    expect(pushProtocols()).toEqual(['mostrador.v1']);
  });

  it('parses known messages and drops the rest', () => {
    expect(parsePush(JSON.stringify({ type: 'status', status }))).toEqual({ type: 'status', status });
    expect(parsePush(JSON.stringify({ type: 'changed', topics: ['products', 7] }))).toEqual({
      type: 'changed',
      topics: ['products'],
    });
    expect(parsePush(JSON.stringify({ type: 'status', status: { version: 1 } }))).toBeUndefined();
    expect(parsePush('{not json')).toBeUndefined();
    expect(parsePush(JSON.stringify({ type: 'future' }))).toBeUndefined();
  });

  it('dispatches messages and reports live', () => {
    const { sockets, states, messages } = setup();
    sockets[0]?.open();
    sockets[0]?.send(JSON.stringify({ type: 'changed', topics: ['products'] }));
    expect(states).toEqual(['connecting', 'live']);
    expect(messages).toEqual([{ type: 'changed', topics: ['products'] }]);
  });

  it('reconnects with growing backoff and asks for a refresh after a gap', async () => {
    const { sockets, states, reopened } = setup();
    sockets[0]?.open();
    sockets[0]?.close();
    expect(states.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(499);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    sockets[1]?.close();
    await vi.advanceTimersByTimeAsync(999);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    sockets[2]?.open();
    expect(states.at(-1)).toBe('live');
    expect(reopened).toHaveBeenCalledTimes(1);
  });

  it('closes a silent link so it reconnects', async () => {
    const { sockets } = setup();
    sockets[0]?.open();
    await vi.advanceTimersByTimeAsync(19_999);
    sockets[0]?.send(JSON.stringify({ type: 'status', status }));
    await vi.advanceTimersByTimeAsync(19_999);
    expect(sockets[0]?.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets[0]?.closed).toBe(true);
  });

  it('stops for good on close()', async () => {
    const { sockets, link } = setup();
    sockets[0]?.open();
    link.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('caps the backoff', () => {
    expect(backoffDelay(0, 500, 15_000, () => 0)).toBe(250);
    expect(backoffDelay(20, 500, 15_000, () => 1)).toBe(15_000);
  });
});
