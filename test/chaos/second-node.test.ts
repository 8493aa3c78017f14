import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { request } from '../support/node.js';
import { spawnNode, type NodeProcess } from '../support/process.js';
import { tempDir } from '../support/tmp.js';

/** R27 "one process per data folder": a second node is refused clearly, the first is untouched; a dead one's lock is stale. */
describe('one node per data folder', () => {
  const tmp = tempDir('mostrador-second-');
  const SECRET = randomBytes(24).toString('hex');
  const env = { MOSTRADOR_LAUNCH_SECRET: SECRET };
  const started: NodeProcess[] = [];

  const call = (url: string, method: string, input: unknown, commandId?: string) =>
    request(`${url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ input, ...(commandId ? { commandId } : {}) }),
    });

  afterAll(async () => {
    for (const n of started) await n.stop('SIGKILL');
    tmp.remove();
  });

  it('refuses a second live node with a clear message and the first keeps serving', { timeout: 120_000 }, async () => {
    const first = await spawnNode(tmp.dir, env);
    started.push(first);
    const created = await call(first.url, 'products.create', { name: 'Antes del segundo', price: 1000 }, newId());
    expect(created.status).toBe(200);

    const t0 = Date.now();
    const refusal = await spawnNode(tmp.dir, env).then(
      (second) => {
        started.push(second);
        return { started: true as const, code: null, stderr: second.stderr() };
      },
      (error: Error & { code?: number | null; stderr?: string }) => ({ started: false as const, code: error.code, stderr: error.stderr ?? error.message }),
    );
    expect(refusal.started, 'a second node started on a folder that is in use').toBe(false);
    expect(refusal.code).not.toBe(0);
    expect(refusal.code).not.toBeNull();
    expect(refusal.stderr).toContain('in use by another Mostrador');
    expect(refusal.stderr).toContain(`pid ${first.child.pid}`);
    expect(Date.now() - t0, 'the refusal should be quick, not a timeout').toBeLessThan(30_000);

    // The first node is untouched: it reads, writes, and what it wrote before is still there.
    expect(first.child.exitCode).toBeNull();
    const status = await call(first.url, 'system.status', {});
    expect(status.status).toBe(200);
    expect(status.body.result.dataDir).toBe(tmp.dir);
    const again = await call(first.url, 'products.create', { name: 'Después del segundo', price: 2000 }, newId());
    expect(again.status).toBe(200);
    const list = await call(first.url, 'products.list', {});
    expect(list.status).toBe(200);
    expect(list.body.result.items.map((p: { name: string }) => p.name).sort()).toEqual(['Antes del segundo', 'Después del segundo']);
    const got = await call(first.url, 'products.get', { id: created.body.result.id });
    expect(got.body.result).toMatchObject({ name: 'Antes del segundo', price: 1000 });

    // The refused node did not take the lock over or leave its own behind.
    const lock = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'mostrador.lock'), 'utf8'));
    expect(lock.pid).toBe(first.child.pid);

    expect(await first.stop('SIGTERM')).toBe(0);
    expect(fs.existsSync(path.join(tmp.dir, 'mostrador.lock')), 'a clean stop releases the lock').toBe(false);
  });

  it('starts again at once after SIGKILL (the dead holder\'s lock is stale), with its data', { timeout: 120_000 }, async () => {
    const a = await spawnNode(tmp.dir, env);
    started.push(a);
    const created = await call(a.url, 'products.create', { name: 'Antes del kill', price: 3000 }, newId());
    expect(created.status).toBe(200);
    await a.stop('SIGKILL');
    expect(a.child.signalCode).toBe('SIGKILL');
    // The dead process's lock file is still there: the next start must see it is stale.
    const stale = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'mostrador.lock'), 'utf8'));
    expect(stale.pid).toBe(a.child.pid);

    const t0 = Date.now();
    const b = await spawnNode(tmp.dir, env);
    started.push(b);
    expect(Date.now() - t0).toBeLessThan(30_000);
    const got = await call(b.url, 'products.get', { id: created.body.result.id });
    expect(got.status).toBe(200);
    expect(got.body.result).toMatchObject({ name: 'Antes del kill', price: 3000 });
    const lock = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'mostrador.lock'), 'utf8'));
    expect(lock.pid).toBe(b.child.pid);

    // And a third one is refused while b lives: the takeover did not weaken the lock.
    const third = await spawnNode(tmp.dir, env).then(
      (n) => {
        started.push(n);
        return 'started';
      },
      (error: Error & { stderr?: string }) => error.stderr ?? error.message,
    );
    expect(third).toContain('in use by another Mostrador');
    expect((await call(b.url, 'system.status', {})).status).toBe(200);
    expect(await b.stop('SIGTERM')).toBe(0);
  });
});
