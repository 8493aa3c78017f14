import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';

/**
 * Structured JSON logs, a logger per module. The request id of the call being served (R20) is added to every line
 * written while serving it, whichever module writes it.
 */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

const root = pino(
  {
  level: process.env.MOSTRADOR_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  mixin() {
    const ctx = requestContext.getStore();
    return ctx ? { requestId: ctx.requestId } : {};
  },
  },
  pino.destination(2),
);

export type Logger = pino.Logger;

export const createLogger = (module: string): Logger => root.child({ module });

export const rootLogger = root;
