import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const NODE_ENTRY = path.resolve('dist/node/main.js');

export interface NodeProcess {
  child: ChildProcess;
  url: string;
  signInUrl: string;
  stderr: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The built node as its own process in browser mode (`node dist/node/main.js`), as `npm start` runs it; resolves once
 * it prints its sign-in URL. Run `npm run build` first (npm test does).
 */
export function spawnNode(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<NodeProcess> {
  const child = spawn(process.execPath, [NODE_ENTRY, '--data-dir', dataDir], {
    env: { ...process.env, MOSTRADOR_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not print its URL in 60 s\n${err}`)), 60_000);
    const early = (code: number | null) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`node exited with ${code} before it was ready\n${err}`), { code, stderr: err }));
    };
    child.once('exit', early);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?code=\S+/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', early);
      resolve({
        child,
        url: match[1]!,
        signInUrl: match[0],
        stderr: () => err,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
  });
}
