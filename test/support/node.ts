import http from 'node:http';
import { newId } from '../../shared/ids.js';
import { startNode, type NodeOptions, type RunningNode } from '../../node/app.js';
import { tempDir } from './tmp.js';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** A plain HTTP request with full control over headers (fetch will not send a foreign Host). */
export function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

export interface TestNode {
  node: RunningNode;
  dataDir: string;
  call(method: string, input: unknown, options?: { commandId?: string; headers?: Record<string, string> }): Promise<RawResponse>;
  stop(): Promise<void>;
}

/**
 * A whole node in this process on a fresh data folder, and a client that signs its calls with the launch secret.
 * `options` reach startNode (the relay's timings of a terminal joined to a test central).
 */
export async function startTestNode(dataDir?: string, options: Omit<NodeOptions, 'dataDir'> = {}): Promise<TestNode> {
  const tmp = dataDir ? undefined : tempDir('mostrador-node-');
  const dir = dataDir ?? tmp!.dir;
  const node = await startNode({ ...options, dataDir: dir });
  return {
    node,
    dataDir: dir,
    call(method, input, options = {}) {
      const commandId = options.commandId ?? (method.match(/\.(create|update|change)/) ? newId() : undefined);
      return request(`${node.api.url}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.auth.secret}`, ...options.headers },
        body: JSON.stringify({ input, ...(commandId ? { commandId } : {}) }),
      });
    },
    async stop() {
      await node.close();
      tmp?.remove();
    },
  };
}
