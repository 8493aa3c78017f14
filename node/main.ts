import { parseArgs } from 'node:util';
import { AppError } from '../shared/errors.js';
import { startNode, type RunningNode } from './app.js';
import { createLogger } from './log.js';
import { resolveDataDir } from './runtime/datadir.js';
import { rendererDir } from './runtime/paths.js';

/**
 * The local node's process: `node dist/node/main.js [--data-dir DIR] [--port N] [--role terminal|central]`.
 * Under Electron it is a utilityProcess and reports over parentPort (`ready` / `fatal`, and obeys `shutdown`);
 * otherwise (browser mode) it prints the loopback URL with the one-time sign-in code.
 */
const log = createLogger('main');

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      role: { type: 'string', default: 'terminal' },
    },
    strict: true,
  });
  const role = values.role === 'central' ? 'central' : 'terminal';
  const port = values.port ? Number(values.port) : Number(process.env.MOSTRADOR_PORT ?? 0);
  let node: RunningNode;
  try {
    node = await startNode({
      dataDir: resolveDataDir(values['data-dir']),
      role,
      port,
      secret: process.env.MOSTRADOR_LAUNCH_SECRET,
      rendererDir: rendererDir(),
    });
  } catch (error) {
    const message = startFailure(error);
    log.error({ err: error }, 'node could not start');
    process.stderr.write(`\n${message}\n`);
    parentPort?.postMessage({ type: 'fatal', message });
    process.exit(2);
  }

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, 'stopping');
    await node.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (parentPort) {
    parentPort.on('message', (event) => {
      if ((event.data as { type?: string })?.type === 'shutdown') void stop('shutdown requested');
    });
    parentPort.postMessage({ type: 'ready', apiUrl: node.api.url });
  } else {
    process.stdout.write(`\nMostrador is running. Open this link in your browser:\n\n  ${node.signInUrl()}\n\n`);
    process.stdout.write(`Data folder: ${node.store.dataDir}\nPress Ctrl+C to stop.\n`);
  }
}

/** Why the node did not start, as a sentence for whoever started it: in Spanish and English when it is one of ours. */
function startFailure(error: unknown): string {
  if (error instanceof AppError && error.key) {
    return `Mostrador no pudo iniciar. ${error.messageIn('es')}\nMostrador could not start. ${error.messageIn('en')}`;
  }
  return `Mostrador could not start: ${(error as Error).message}`;
}

void main();
