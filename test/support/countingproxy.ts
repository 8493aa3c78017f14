import http from 'node:http';

export interface CountingProxy {
  url: string;
  /** Bytes of the answers as they crossed the wire (compressed ones compressed), by the route's path without its query. */
  bytes: Map<string, number>;
  total(prefix: string): number;
  close(): Promise<void>;
}

/** An HTTP proxy that only counts the bytes of the answers (benchmarks: what a terminal downloads). No WebSocket. */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const bytes = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.on('data', (chunk: Buffer) => bytes.set(path, (bytes.get(path) ?? 0) + chunk.length));
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    bytes,
    total: (prefix) => [...bytes].filter(([p]) => p.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
