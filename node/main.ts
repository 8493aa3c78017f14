import { parseArgs } from 'node:util';
import { AppError } from '../shared/errors.js';
import { startNode, type RunningNode } from './app.js';
import { runCentralForeground } from './central/cli.js';
import { createLogger, logsDir, logToDataDir } from './log.js';
import { serveControl, type ControlServer } from './runtime/control.js';
import { federationActions } from './federation/actions.js';
import { resolveDataDir } from './runtime/datadir.js';
import { rendererDir } from './runtime/paths.js';
import { choosePort, portSchema, rememberPort } from './runtime/settings.js';

/**
 * The local node's process: `node dist/node/main.js [--data-dir DIR] [--port N] [--verbose] [--role terminal|central]`.
 * Under Electron it is a utilityProcess and reports over parentPort (`ready` / `fatal`, and obeys `shutdown`);
 * otherwise (browser mode) it prints the loopback link with a one-time sign-in code and one line of status. Logs go
 * to the data folder's logs/ (and to stderr too with --verbose).
 */
const log = createLogger('main');

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function options() {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      role: { type: 'string', default: 'terminal' },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const given = values.port ?? process.env.MOSTRADOR_PORT;
  const port = given === undefined || given === '' ? undefined : portSchema.safeParse(given);
  if (port && !port.success) fail(`Mostrador could not start: --port must be a whole number from 1 to 65535, not "${given}".`);
  return {
    dataDir: resolveDataDir(values['data-dir']),
    role: values.role === 'central' ? ('central' as const) : ('terminal' as const),
    port: port?.data,
    verbose: values.verbose === true,
  };
}

let flushLogs = (): void => undefined;

function fail(message: string, error?: unknown): never {
  if (error) log.error({ err: error }, 'node could not start');
  flushLogs();
  process.stderr.write(`\n${message}\n`);
  parentPort?.postMessage({ type: 'fatal', message });
  process.exit(2);
}

async function main(): Promise<void> {
  const opts = options();
  flushLogs = await logToDataDir(opts.dataDir, opts.verbose);
  if (opts.role === 'central') {
    // The central is a server of its own (node/central/): PostgreSQL when DATABASE_URL is set, else PGlite here.
    const port = opts.port === undefined ? undefined : String(opts.port);
    await runCentralForeground({ dataDir: opts.dataDir, port, databaseUrl: process.env.DATABASE_URL || undefined });
    flushLogs();
    process.exit(0);
  }
  const choice = await choosePort(opts.dataDir, opts.port);
  let node: RunningNode;
  try {
    node = await startNode({
      dataDir: opts.dataDir,
      role: opts.role,
      port: choice.port,
      secret: process.env.MOSTRADOR_LAUNCH_SECRET,
      rendererDir: rendererDir(),
    });
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (inUse) fail(`Mostrador could not start: port ${choice.port} is taken by another program. Choose another with --port N, or leave --port out.`, error);
    fail(startFailure(error), error);
  }
  rememberPort(opts.dataDir, node.api.port);
  if (choice.notice) log.warn(choice.notice);
  const actions = node.federation ? federationActions(node.federation) : undefined;
  const control = await serveControl(opts.dataDir, () => `${node.api.url}/?code=${node.auth.renewCode()}`, actions).catch((error: unknown) => {
    log.warn({ err: error }, 'no control channel: `mostrador link` will not reach this node');
    return undefined;
  });
  handleStop(node, control);

  if (parentPort) {
    parentPort.postMessage({ type: 'ready', apiUrl: node.api.url });
    return;
  }
  const say = (line = '') => process.stdout.write(`${line}\n`);
  if (choice.notice) say(`\n${choice.notice}`);
  say('\nMostrador is running. Open this link in your browser (it works once, within 10 minutes):\n');
  say(`  ${node.signInUrl()}\n`);
  say(`Port ${node.api.port} (kept for this folder) · data ${opts.dataDir} · logs ${logsDir(opts.dataDir)}${opts.verbose ? ' and here' : ''}`);
  say(`Another link: mostrador link --data-dir ${opts.dataDir} · stop: Ctrl+C`);
}

function handleStop(node: RunningNode, control: ControlServer | undefined): void {
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, 'stopping');
    await control?.close();
    await node.close();
    flushLogs();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  parentPort?.on('message', (event) => {
    if ((event.data as { type?: string })?.type === 'shutdown') void stop('shutdown requested');
  });
}

/** Why the node did not start, as a sentence for whoever started it: in Spanish and English when it is one of ours. */
function startFailure(error: unknown): string {
  if (error instanceof AppError && error.key) {
    return `Mostrador no pudo iniciar. ${error.messageIn('es')}\nMostrador could not start. ${error.messageIn('en')}`;
  }
  return `Mostrador could not start: ${(error as Error).message}`;
}

main().catch((error: unknown) => fail(startFailure(error), error));
