import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { syncDir } from './datadir.js';

/**
 * The node's own settings, one small JSON file per data folder. Today: the port of its loopback API, kept so the
 * printed link, a bookmark and an open tab keep working after a restart.
 */
export const settingsFile = (dataDir: string): string => path.join(dataDir, 'settings.json');

export const portSchema = z.coerce.number().int().min(1).max(65535);
const settingsSchema = z.object({ port: portSchema.optional() });
export type NodeSettings = z.infer<typeof settingsSchema>;

/** A missing, unreadable or hand-broken file is the same as none: the node picks anew and rewrites it. */
export function readSettings(dataDir: string): NodeSettings {
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(fs.readFileSync(settingsFile(dataDir), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function writeSettings(dataDir: string, settings: NodeSettings): void {
  const file = settingsFile(dataDir);
  const temp = `${file}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(settings, null, 2)}\n`);
  fs.renameSync(temp, file);
  syncDir(dataDir);
}

/** Below Linux's ephemeral range (32768+), so an outgoing connection does not take the port between two starts. */
const FIRST_CHOICE = { from: 20_000, to: 32_000, tries: 20 };

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

export interface PortChoice {
  /** 0 lets the system choose (only when no port in our range was free). */
  port: number;
  /** Said on the terminal when the kept port could not be used. */
  notice?: string;
}

/**
 * An explicit port wins (and is kept once the node listens on it); otherwise the kept one when it is still free;
 * otherwise a new free one. A kept port held by another program is said in words, never a silent change.
 */
export async function choosePort(dataDir: string, explicit: number | undefined, random = Math.random): Promise<PortChoice> {
  if (explicit !== undefined) return { port: explicit };
  const kept = readSettings(dataDir).port;
  if (kept !== undefined && (await isPortFree(kept))) return { port: kept };
  const port = await freePort(random);
  if (kept === undefined) return { port };
  return {
    port,
    notice:
      `El puerto ${kept} de esta carpeta está ocupado por otro programa; se usa uno nuevo y se recuerda. ` +
      `Port ${kept}, kept for this data folder, is taken by another program; a new one is used and remembered.`,
  };
}

async function freePort(random: () => number): Promise<number> {
  for (let i = 0; i < FIRST_CHOICE.tries; i++) {
    const port = FIRST_CHOICE.from + Math.floor(random() * (FIRST_CHOICE.to - FIRST_CHOICE.from));
    if (await isPortFree(port)) return port;
  }
  return 0;
}

/** After the node listens: the port it got becomes the folder's. */
export function rememberPort(dataDir: string, port: number): void {
  if (readSettings(dataDir).port === port) return;
  writeSettings(dataDir, { ...readSettings(dataDir), port });
}
