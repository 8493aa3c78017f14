import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalHash } from '../../shared/canonical.js';
import { contract } from '../../shared/contract/index.js';
import type { MethodDef } from '../../shared/contract/define.js';
import { isUuidV7, newId } from '../../shared/ids.js';
import { withoutSecrets } from '../../node/journal/command.js';
import { databaseDigest } from '../support/digest.js';
import { startTestNode, type TestNode } from '../support/node.js';
import { body, callOf, isPlain, type FuzzCall } from './calls.js';
import type { Known } from './schema.js';

/**
 * Property-based fuzz of every method of the contract (a method added later is fuzzed without touching this file)
 * against a whole node in this process: valid, mutated-from-valid, random and hostile bodies, odd encodings and
 * content types, missing, malformed and reused command ids. It fails on any 5xx, on a request that takes longer
 * than FUZZ_TIMEOUT_MS, on an error that is not `{error:{code,message}}` or that leaks zod's English, and on any
 * change to the database by a refused request. `FUZZ_RUNS` calls per method (100 in CI; `npm run fuzz:api` runs
 * 1,000), `FUZZ_SEED` replays a run that failed.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const TIMEOUT_MS = Number(process.env.FUZZ_TIMEOUT_MS ?? 10_000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const ZOD_ENGLISH = /^(Invalid input|Invalid option|Invalid UUID|Invalid string|Too (big|small)|Unrecognized key|Expected )/;

interface Answer {
  status: number;
  body: { result?: unknown; error?: { code?: unknown; message?: unknown; issues?: { message?: unknown }[] } } | undefined;
}

/** A command that went through, kept so that its id can be sent again with the same or another input. */
interface Done {
  method: string;
  input: unknown;
  commandId: string;
  inputHash: string;
  result: unknown;
}

describe('API fuzz: every method, any body', () => {
  let t: TestNode;
  const done: Done[] = [];
  const known: Known = { ids: () => [], barcodes: () => [] };
  let last: Record<string, string> = {};
  /** The store has an owner, as a store in use does; every call is made as that owner, signed in. */
  const OWNER_PASSWORD = 'fuzz owner password';
  let ownerId = '';
  let person = '';
  const signInOwner = async (): Promise<string> => {
    const res = await t.call('users.signIn', { userId: ownerId, password: OWNER_PASSWORD });
    expect(res.status).toBe(200);
    return (res.body as { result: { token: string } }).result.token;
  };
  const stats = { calls: 0, refused: 0, accepted: 0, replayed: 0, conflicts: 0 };

  function send(path: string, bytes: Buffer, headers: Record<string, string>): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${t.node.api.url}${path}`, { method: 'POST', headers: { ...headers, 'content-length': String(bytes.length) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let parsed: Answer['body'];
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['body'];
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms (a hang)`)));
      req.on('error', reject);
      req.end(bytes);
    });
  }

  /**
   * The command id this call sends (a reused one may come with the input it was first sent with), and the command
   * it was first used for: a plain body must then get 409 for another input, the first result for the same.
   */
  function resolveCommandId(m: MethodDef, call: FuzzCall): { call: FuzzCall; commandId: unknown; reused?: Done } {
    const c = call.commandId;
    if (c.kind === 'none') return { call, commandId: undefined };
    if (c.kind === 'bad') return { call, commandId: c.value };
    if (c.kind === 'reuse' && done.length > 0) {
      const reused = done[c.index % done.length]!;
      const again = c.sameInput && reused.method === m.name ? { ...call, input: reused.input } : call;
      return { call: again, commandId: c.upper ? reused.commandId.toUpperCase() : reused.commandId, reused };
    }
    return { call, commandId: m.kind === 'command' ? newId() : undefined };
  }

  async function check(m: MethodDef, drawn: FuzzCall): Promise<void> {
    const { call, commandId, reused } = resolveCommandId(m, drawn);
    const headers: Record<string, string> = { authorization: `Bearer ${t.node.auth.secret}`, 'x-mostrador-person': person, 'accept-language': call.acceptLanguage };
    if (call.contentType !== undefined) headers['content-type'] = call.contentType;
    const answer = await send(`/api/${m.name}`, body(call, commandId), headers);
    // A fuzzed sign-out may end the harness's own person session: sign the owner in again for the next call.
    if (m.name === 'users.signOut' && answer.status === 200) person = await signInOwner();
    const after = await databaseDigest(t.node.store.db);
    const before = last;
    last = after;
    stats.calls++;
    const what = `${m.name} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`;
    expect(answer.status, what).toBeLessThan(500);
    expect(answer.status, what).toBeGreaterThanOrEqual(200);
    if (answer.status >= 400) {
      stats.refused++;
      const error = answer.body?.error;
      expect(typeof error?.code === 'string' && typeof error.message === 'string' && error.message.length > 5, `${what}: {error:{code,message}}`).toBe(true);
      for (const issue of error?.issues ?? []) expect(String(issue.message), what).not.toMatch(ZOD_ENGLISH);
      expect(after, `${what}: a refused request changed the database`).toEqual(before);
    } else {
      stats.accepted++;
      expect(m.output.safeParse(answer.body?.result).success, what).toBe(true);
    }
    if (isPlain(call)) predict(m, call, answer, commandId, reused, what);
  }

  /** For a body the node reads as JSON.parse does, what the answer must be: 400, 409, or the first result again. */
  function predict(m: MethodDef, call: FuzzCall, answer: Answer, commandId: unknown, reused: Done | undefined, what: string): void {
    // The node reads a missing or null input as {} (node/api/rpc.ts).
    const parsed = m.input.safeParse(call.input ?? {});
    if (!parsed.success) {
      expect(answer.status, `${what}: input the contract refuses`).toBe(400);
      return;
    }
    const wellFormedId = typeof commandId === 'string' && isUuidV7(commandId);
    if (m.kind === 'command' ? !wellFormedId : commandId !== undefined && !wellFormedId) {
      expect(answer.status, `${what}: a bad or missing command id`).toBe(400);
      return;
    }
    if (m.kind !== 'command') return;
    // The node leaves PINs and passwords out of the hash (node/journal/command.ts `withoutSecrets`).
    const inputHash = canonicalHash({ method: m.name, input: withoutSecrets(parsed.data) });
    if (reused && reused.inputHash === inputHash) {
      stats.replayed++;
      expect(answer.status, `${what}: the same command again`).toBe(200);
      expect(answer.body?.result, `${what}: the same command again answers as the first time`).toEqual(reused.result);
    } else if (reused) {
      stats.conflicts++;
      expect(answer.status, `${what}: a command id reused for another input (first: ${reused.method})`).toBe(409);
    } else if (answer.status === 200) {
      done.push({ method: m.name, input: call.input, commandId: String(commandId), inputHash, result: answer.body?.result });
    }
  }

  beforeAll(async () => {
    t = await startTestNode();
    const seeded = [
      await t.call('products.create', { name: 'Yerba Mate 1kg', price: 450000, barcodes: ['7790001000011'], sku: 'YM-1' }),
      await t.call('products.create', { name: 'Ñoquis de papa', price: 120000, barcodes: ['7790001000028'], unit: 'kg' }),
    ];
    for (const res of seeded) expect(res.status).toBe(200);
    const owner = await t.call('users.setupOwner', { name: 'Dueña', password: OWNER_PASSWORD }, { commandId: newId() });
    expect(owner.status).toBe(200);
    ownerId = (owner.body as { result: { id: string } }).result.id;
    person = await signInOwner();
    known.ids = () => seeded.map((r) => (r.body as { result: { id: string } }).result.id);
    known.barcodes = () => ['7790001000011', '7790001000028'];
    last = await databaseDigest(t.node.store.db);
  });

  afterAll(async () => {
    if (stats.calls > 0) process.stdout.write(`fuzz: ${JSON.stringify({ ...stats, commandsDone: done.length })}\n`);
    await t?.stop();
  });

  const methods = Object.values(contract) as MethodDef[];

  it('covers every method of the contract', () => {
    expect(methods.map((m) => m.name).sort()).toEqual(Object.keys(contract).sort());
    expect(methods.length).toBeGreaterThanOrEqual(7);
  });

  it.each(methods.map((m) => [m.name, m] as const))('%s: no 5xx, no hang, nothing changed by a refusal', { timeout: 600_000 }, async (_name, m) => {
    await fc.assert(
      fc.asyncProperty(callOf(m, known), (call) => check(m, call)),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true },
    );
  });
});
