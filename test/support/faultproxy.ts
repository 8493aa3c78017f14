import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { seededRandom } from './random.js';

/**
 * A fault-injecting HTTP proxy of our own, between terminals' relays and the central (issue 14, chaos suites).
 * Each request is forwarded, or damaged, by the fault the current plan draws for it:
 * - `drop`: the connection is destroyed before anything is forwarded (the central never sees it);
 * - `delay`: forwarded after `delayMs`;
 * - `duplicate`: forwarded twice, one after the other; the client gets the second answer;
 * - `reorder`: held until the next request has been forwarded (or `delayMs` passes), then forwarded;
 * - `cut`: half of the body is forwarded, then both sockets are destroyed (the central sees a torn request);
 * - `error500`: answered 500 by the proxy itself, nothing forwarded;
 * - `dropResponse`: forwarded and answered by the central (so it committed), then the client's socket is destroyed
 *   before any byte of the answer reaches it.
 * WebSocket upgrades are piped through untouched unless the proxy is `partitioned` (then refused, and open ones cut).
 */
export type Fault = 'pass' | 'drop' | 'delay' | 'duplicate' | 'reorder' | 'cut' | 'error500' | 'dropResponse';

export interface FaultPlan {
  /** Probability of each fault per request (the rest pass). */
  weights?: Partial<Record<Exclude<Fault, 'pass'>, number>>;
  /** When set, every request gets this fault (a scripted scenario: "fail 9 times, then pass"). */
  next?: () => Fault;
  delayMs?: number;
  /** Only requests whose path starts with one of these are damaged (default: all but the health probe). */
  paths?: string[];
}

export interface FaultProxy {
  url: string;
  port: number;
  /** Every request seen and what was done to it, in order. */
  log: { method: string; path: string; fault: Fault }[];
  setPlan(plan: FaultPlan): void;
  /** A network partition: every connection refused and open WebSockets cut, until healed. */
  partition(on: boolean): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, options: { seed?: number; plan?: FaultPlan } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const random = seededRandom(options.seed ?? 1);
  let plan: FaultPlan = options.plan ?? {};
  let partitioned = false;
  const log: FaultProxy['log'] = [];
  const sockets = new Set<net.Socket>();
  const held: (() => void)[] = [];

  const draw = (path: string): Fault => {
    if (path.endsWith('/health')) return 'pass';
    if (plan.paths && !plan.paths.some((p) => path.startsWith(p))) return 'pass';
    if (plan.next) return plan.next();
    let roll = random();
    for (const [fault, weight] of Object.entries(plan.weights ?? {}) as [Fault, number][]) {
      if (roll < weight) return fault;
      roll -= weight;
    }
    return 'pass';
  };

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const tearForward = (req: http.IncomingMessage, body: Buffer): Promise<void> =>
    new Promise((resolve) => {
      const socket = net.connect(Number(upstream.port), upstream.hostname, () => {
        const head = [`${req.method} ${req.url} HTTP/1.1`, `host: ${upstream.host}`];
        for (const [k, v] of Object.entries(req.headers)) if (k !== 'host' && k !== 'connection' && v !== undefined) head.push(`${k}: ${String(v)}`);
        head.push('connection: close', '', '');
        socket.write(head.join('\r\n'));
        socket.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => (socket.destroy(), resolve()), 20));
      });
      socket.on('error', () => resolve());
    });

  const releaseHeld = () => {
    for (const release of held.splice(0)) release();
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const fault: Fault = partitioned ? 'drop' : draw(req.url ?? '/');
        log.push({ method: req.method ?? '', path: req.url ?? '', fault });
        const reply = (r: { status: number; headers: http.IncomingHttpHeaders; body: Buffer }) => {
          const headers = { ...r.headers };
          delete headers['transfer-encoding'];
          delete headers.connection;
          res.writeHead(r.status, headers).end(r.body);
        };
        try {
          switch (fault) {
            case 'drop':
              req.socket.destroy();
              return;
            case 'error500':
              res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"injected"}');
              return;
            case 'cut':
              await tearForward(req, body);
              req.socket.destroy();
              return;
            case 'delay':
              await new Promise((r) => setTimeout(r, plan.delayMs ?? 200));
              reply(await forward(req, body));
              return;
            case 'reorder':
              await new Promise<void>((r) => {
                held.push(r);
                setTimeout(r, plan.delayMs ?? 200);
              });
              reply(await forward(req, body));
              return;
            case 'duplicate':
              await forward(req, body);
              releaseHeld();
              reply(await forward(req, body));
              return;
            case 'dropResponse':
              await forward(req, body);
              releaseHeld();
              req.socket.destroy();
              return;
            case 'pass': {
              const answer = await forward(req, body);
              releaseHeld();
              reply(answer);
              return;
            }
          }
        } catch {
          req.socket.destroy();
        }
      })();
    });
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (partitioned) socket.destroy();
  });

  server.on('upgrade', (req, socket, head) => {
    if (partitioned) return socket.destroy();
    const up = net.connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        lines.push(`${name}: ${name.toLowerCase() === 'host' ? upstream.host : req.rawHeaders[i + 1]}`);
      }
      up.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(socket).pipe(up);
    });
    sockets.add(up);
    up.on('close', () => (sockets.delete(up), socket.destroy()));
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    setPlan(next) {
      plan = next;
    },
    partition(on) {
      partitioned = on;
      if (on) for (const s of sockets) s.destroy();
    },
    async close() {
      releaseHeld();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
