import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { NODE_ENTRY } from './process.js';

/** A free TCP port on loopback (a restarted central must come back where the terminals' proxies point). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

export interface CentralProcess {
  child: ChildProcess;
  url: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The built central as its own process (`node dist/node/main.js --role central`) on PostgreSQL (`DATABASE_URL`);
 * resolves once it prints its federation address; `env` adds to its environment (MOSTRADOR_FISCAL_RANGE_SIZE). Run
 * `npm run build` first.
 */
export function spawnCentral(dataDir: string, port: number, databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<CentralProcess> {
  const child = spawn(process.execPath, [NODE_ENTRY, '--role', 'central', '--data-dir', dataDir, '--port', String(port)], {
    env: { ...process.env, DATABASE_URL: databaseUrl, MOSTRADOR_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`central did not start in 60 s\n${err}`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`central exited with ${code} before it was ready\n${err}`));
    });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /Federation: (http:\/\/127\.0\.0\.1:\d+)\/fed\/v1/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        child,
        url: match[1]!,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
  });
}
