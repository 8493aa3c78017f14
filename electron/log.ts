/**
 * JSON lines on stderr, one logger per module. Electron main has no pino: it stays thin, and stderr is what the
 * OS captures for a desktop app (and what `npm start` shows next to the node's own logs).
 */
export type Level = 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

export type Sink = (line: string) => void;

const stderrSink: Sink = (line) => {
  process.stderr.write(line + '\n');
};

export function createLogger(module: string, sink: Sink = stderrSink): Logger {
  const write = (level: Level, msg: string, fields?: Fields): void => {
    const entry = { time: new Date().toISOString(), level, module, msg, ...serializable(fields) };
    sink(JSON.stringify(entry));
  };
  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

// Errors stringify to `{}`; keep what a support person needs to read.
function serializable(fields: Fields | undefined): Fields {
  if (!fields) return {};
  const out: Fields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}
