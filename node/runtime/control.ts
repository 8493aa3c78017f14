import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * The running node's control channel: `mostrador link` asks it for a fresh sign-in link. The folder is locked by the
 * node, so the command cannot open the database; it talks to the node instead, over a Unix domain socket (a named
 * pipe on Windows) and proves it may by sending the token the node wrote into the data folder, readable only by the
 * folder's owner (0600). See docs/decisions/0004-control-channel.md.
 */
export const controlTokenFile = (dataDir: string): string => path.join(dataDir, 'control.token');

/** Unix socket paths are limited to about 104 bytes; a deep data folder gets its socket in the temp folder. */
export function controlSocketPath(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  const id = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 24);
  if (platform === 'win32') return `\\\\.\\pipe\\mostrador-${id}`;
  const inFolder = path.join(dataDir, 'control.sock');
  return Buffer.byteLength(inFolder) < 100 ? inFolder : path.join(os.tmpdir(), `mostrador-${id}.sock`);
}

/** The relay's actions the CLI may ask for (`mostrador enroll`, `federation sync|reset-breaker|reconcile|retry-dead-letter`). */
export const federationAskSchema = z.discriminatedUnion('ask', [
  z.strictObject({ ask: z.literal('enroll'), central: z.string().max(300), code: z.string().max(64) }),
  z.strictObject({ ask: z.literal('status') }),
  z.strictObject({ ask: z.literal('syncNow') }),
  z.strictObject({ ask: z.literal('resetBreaker') }),
  z.strictObject({ ask: z.literal('reconcileNow') }),
  z.strictObject({ ask: z.literal('retryDeadLetter') }),
]);
export type FederationAsk = z.infer<typeof federationAskSchema>;

const requestSchema = z.union([
  z.strictObject({ token: z.string().max(200), ask: z.literal('link') }),
  z.strictObject({ token: z.string().max(200), federation: federationAskSchema }),
]);
const replySchema = z.union([z.strictObject({ link: z.string() }), z.strictObject({ text: z.string() }), z.strictObject({ error: z.string() })]);
const MAX_LINE = 4096;
const TIMEOUT_MS = 3000;
/** Enrollment and a sync talk to the central: they may take a while. */
const FEDERATION_TIMEOUT_MS = 60_000;

/** What the node answers to a federation ask: a line for the person at the terminal. */
export type FederationActions = (ask: FederationAsk) => Promise<string>;

export interface ControlServer {
  close(): Promise<void>;
}

/** Listens on the folder's control socket; `link()` is called for each authenticated request. */
export async function serveControl(dataDir: string, link: () => string, federation?: FederationActions): Promise<ControlServer> {
  const token = randomBytes(32).toString('base64url');
  const tokenFile = controlTokenFile(dataDir);
  const socketPath = controlSocketPath(dataDir);
  // The folder lock is ours, so a socket or token left here belongs to a node that died.
  fs.rmSync(tokenFile, { force: true });
  if (process.platform !== 'win32') fs.rmSync(socketPath, { force: true });
  const server = net.createServer((socket) => answer(socket, token, link, federation));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path: socketPath, readableAll: false, writableAll: false }, resolve);
  });
  if (process.platform !== 'win32') fs.chmodSync(socketPath, 0o600);
  fs.writeFileSync(tokenFile, token, { mode: 0o600, flag: 'wx' });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        fs.rmSync(tokenFile, { force: true });
        server.close(() => resolve());
      }),
  };
}

function answer(socket: net.Socket, token: string, link: () => string, federation: FederationActions | undefined): void {
  socket.setTimeout(TIMEOUT_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  readLine(socket, (line) => {
    const request = parseJson(line, requestSchema);
    if (!request || !same(request.token, token)) return reply(socket, { error: 'not allowed: wrong control token' });
    if ('ask' in request) return reply(socket, { link: link() });
    if (!federation) return reply(socket, { error: 'this node has no relay (it is not a terminal)' });
    socket.setTimeout(FEDERATION_TIMEOUT_MS);
    federation(request.federation).then(
      (text) => reply(socket, { text }),
      (error: unknown) => reply(socket, { error: (error as Error).message }),
    );
  });
}

/** Asks the node running on `dataDir` for a fresh sign-in link; throws a sentence a person can act on. */
export async function askLink(dataDir: string): Promise<string> {
  const result = await ask(dataDir, { ask: 'link' }, TIMEOUT_MS);
  if (!('link' in result)) throw new Error(`The node on ${dataDir} sent an answer this command does not understand.`);
  return result.link;
}

/** Asks the node running on `dataDir` for a relay action (enroll, sync, reset the breaker); its answer, in words. */
export async function askFederation(dataDir: string, federation: FederationAsk): Promise<string> {
  const result = await ask(dataDir, { federation }, FEDERATION_TIMEOUT_MS);
  if (!('text' in result)) throw new Error(`The node on ${dataDir} sent an answer this command does not understand.`);
  return result.text;
}

async function ask(dataDir: string, question: { ask: 'link' } | { federation: FederationAsk }, timeoutMs: number): Promise<{ link: string } | { text: string }> {
  let token: string;
  try {
    token = fs.readFileSync(controlTokenFile(dataDir), 'utf8');
  } catch (error) {
    throw new Error(notReachable(dataDir, (error as NodeJS.ErrnoException).code));
  }
  const answerLine = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(controlSocketPath(dataDir));
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`The node on ${dataDir} did not answer in time.`)));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code ? new Error(notReachable(dataDir, error.code)) : error),
    );
    socket.once('connect', () => socket.write(`${JSON.stringify({ token, ...question })}\n`));
    socket.once('close', () => reject(new Error(`The node on ${dataDir} closed the control channel without an answer.`)));
    readLine(socket, resolve);
  });
  const result = parseJson(answerLine, replySchema);
  if (!result) throw new Error(`The node on ${dataDir} sent an answer this command does not understand.`);
  if ('error' in result) throw new Error(`The node on ${dataDir} refused: ${result.error}`);
  return result;
}

function notReachable(dataDir: string, code: string | undefined): string {
  if (code === 'EACCES' || code === 'EPERM') return `Only the owner of ${dataDir} can ask its node for a sign-in link.`;
  return `No Mostrador is running on ${dataDir}. Start it with: npm start -- --data-dir ${dataDir}`;
}

function readLine(socket: net.Socket, onLine: (line: string) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    const end = buffer.indexOf('\n');
    if (end >= 0) {
      socket.removeAllListeners('data');
      onLine(buffer.slice(0, end));
    } else if (buffer.length > MAX_LINE) {
      socket.destroy();
    }
  });
}

function reply(socket: net.Socket, message: z.infer<typeof replySchema>): void {
  socket.end(`${JSON.stringify(message)}\n`);
}

function parseJson<T>(line: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
