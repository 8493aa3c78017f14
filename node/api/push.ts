import type { WebSocket } from 'ws';
import type { PushMessage } from '../../shared/contract/index.js';
import { createLogger } from '../log.js';

const log = createLogger('push');

/** The WebSocket clients of this node; pushes only say what changed (shared/contract/push.ts). */
export class PushHub {
  #clients = new Set<WebSocket>();

  add(socket: WebSocket, hello?: PushMessage): void {
    this.#clients.add(socket);
    socket.on('close', () => this.#clients.delete(socket));
    socket.on('error', (error: Error) => log.warn({ err: error }, 'websocket error'));
    // The API is pull-only over the socket: anything a client sends is ignored.
    if (hello) this.#send(socket, hello);
  }

  broadcast(message: PushMessage): void {
    for (const socket of this.#clients) this.#send(socket, message);
  }

  get size(): number {
    return this.#clients.size;
  }

  closeAll(): void {
    for (const socket of this.#clients) socket.close(1001, 'node stopping');
    this.#clients.clear();
  }

  #send(socket: WebSocket, message: PushMessage): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }
}
