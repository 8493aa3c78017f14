import { AsyncLocalStorage } from 'node:async_hooks';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import roll from 'pino-roll';

/**
 * Structured JSON logs, a logger per module. The request id of the call being served (R20) is added to every line
 * written while serving it, whichever module writes it. Lines go to stderr until the node knows its data folder
 * (`logToDataDir`), then to rotating files in its logs/ folder, and to stderr as well only when asked (--verbose).
 */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Log file rotation: a few files of a few MB, so a busy till cannot fill its disk with logs. */
export const LOG_FILE_SIZE = '5m';
export const LOG_FILES_KEPT = 4;

/**
 * Secrets never reach a log line: the launch secret, session tokens and the headers that carry them; the sign-in
 * code (it would let anyone who reads the logs in) only ever travels in a URL, blanked by `redactUrl`.
 */
export const REDACT_PATHS = [
  'secret',
  '*.secret',
  'token',
  '*.token',
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["sec-websocket-protocol"]',
];

/** Fastify logs each request's URL; the printed link carries `?code=…`, which is blanked here. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]code=)[^&#]*/gi, '$1[redacted]');
}

interface RequestLike {
  method?: string;
  url?: string;
  ip?: string;
}

const sink = {
  targets: [pino.destination(2)] as pino.DestinationStream[],
  write(line: string) {
    for (const target of this.targets) target.write(line);
  },
};

const root = pino(
  {
    level: process.env.MOSTRADOR_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: RequestLike) => ({ method: req.method, url: redactUrl(req.url ?? ''), remoteAddress: req.ip }),
    },
    mixin(merge, _level, logger) {
      const ctx = requestContext.getStore();
      if (!ctx || 'requestId' in merge) return {};
      // A request's own logger (Fastify's child) names it already: one requestId key per line.
      const bindings = (logger as unknown as Record<symbol, string | undefined>)[pino.symbols.chindingsSym];
      return bindings?.includes('"requestId":') ? {} : { requestId: ctx.requestId };
    },
  },
  sink,
);

export type Logger = pino.Logger;

export const createLogger = (module: string): Logger => root.child({ module });

export const rootLogger = root;

export const logsDir = (dataDir: string): string => path.join(dataDir, 'logs');

/**
 * From now on, log lines go to `logs/node.N.log` in the data folder (rolled by size, the oldest removed), and also
 * to stderr when `verbose`. Returns a flush for the moment before the process exits.
 */
export async function logToDataDir(dataDir: string, verbose: boolean): Promise<() => void> {
  fs.mkdirSync(logsDir(dataDir), { recursive: true });
  const file = await roll({
    file: path.join(logsDir(dataDir), 'node'),
    extension: '.log',
    size: LOG_FILE_SIZE,
    limit: { count: LOG_FILES_KEPT - 1, removeOtherLogFiles: true },
  });
  if (file.fd < 0) await once(file, 'ready');
  sink.targets = verbose ? [file, pino.destination(2)] : [file];
  return () => file.flushSync();
}
