import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDataDir } from '../runtime/open.js';
import { startTestNode } from '../../test/support/node.js';
import { tempDir } from '../../test/support/tmp.js';
import { runCli } from './main.js';

async function cli(...args: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  try {
    return { code: await runCli(args), output: lines.join('') };
  } finally {
    spy.mockRestore();
  }
}

describe('the mostrador command', () => {
  const tmp = tempDir('mostrador-cli-');
  const dataDir = path.join(tmp.dir, 'node');
  let productIds: string[] = [];

  beforeAll(async () => {
    const t = await startTestNode(dataDir);
    for (const [name, price] of [['Yerba 1kg', 450000], ['Azúcar 1kg', 99000], ['Fideos 500g', 120000]] as const) {
      productIds.push((await t.call('products.create', { name, price })).body.result.id);
    }
    await t.call('products.changePrice', { id: productIds[0], price: 470000 });
    await t.node.close();
  });
  afterAll(() => tmp.remove());

  it('verifies a healthy journal', async () => {
    const { code, output } = await cli('journal', 'verify', '--data-dir', dataDir);
    expect(output).toContain('chain ok: 4 events');
    expect(output).toContain('read models equal their rebuild');
    expect(code).toBe(0);
  });

  it('exports, then rebuilds a folder with the same chain head and read models', async () => {
    const file = path.join(tmp.dir, 'journal.sqlite');
    const exported = await cli('journal', 'export', '--out', file, '--data-dir', dataDir);
    expect(exported.output).toContain('exported 4 events and 4 command results');
    // Any SQLite tool opens it.
    const sqlite = spawnSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(file)},{readonly:true});console.log(d.prepare('select count(*) n from events').get().n)`]);
    expect(sqlite.stdout.toString().trim()).toBe('4');

    const rebuilt = path.join(tmp.dir, 'rebuilt');
    const result = await cli('rebuild', '--from', file, '--data-dir', rebuilt);
    expect(result.output).toContain('read models equal their rebuild');
    expect(result.code).toBe(0);

    const read = async (dir: string) => {
      const store = await openDataDir(dir);
      try {
        const head = await store.db.query('SELECT device_id, seq, hash FROM journal_head ORDER BY device_id');
        const products = await store.db.query('SELECT * FROM products ORDER BY id');
        const outbox = await store.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM outbox');
        return { identity: store.identity, head, products, outbox: outbox[0]!.n };
      } finally {
        await store.close();
      }
    };
    const before = await read(dataDir);
    const after = await read(rebuilt);
    expect(after.identity).toEqual(before.identity);
    expect(after.head).toEqual(before.head);
    expect(after.products).toEqual(before.products);
    expect(after.outbox).toBe(4);

    // A command replayed against the rebuilt folder still finds its first result (idempotency survives).
    const again = await startTestNode(rebuilt);
    try {
      const list = await again.call('products.list', {});
      expect(list.body.result.items.map((p: { id: string }) => p.id).sort()).toEqual([...productIds].sort());
    } finally {
      await again.node.close();
    }
  });

  it('refuses to rebuild into a folder that has a database', async () => {
    const file = path.join(tmp.dir, 'journal2.sqlite');
    await cli('journal', 'export', '--out', file, '--data-dir', dataDir);
    await expect(cli('rebuild', '--from', file, '--data-dir', dataDir)).rejects.toThrow(/already holds a database/);
  });

  it('finds read-model rows that drifted from the log and heals them with --heal', async () => {
    const store = await openDataDir(dataDir);
    await store.db.write(async (tx) => {
      await tx.query('UPDATE products SET price = 1 WHERE id = $1', [productIds[1]]);
      await tx.query('DELETE FROM products WHERE id = $1', [productIds[2]]);
      await tx.query(
        `INSERT INTO products SELECT store_id, gen_random_uuid(), 'Huérfano', sku, barcodes, price, currency, cost, tax_rate_bp, category, unit,
           track_stock, min_stock, version, field_hlc, created_at, created_by, updated_at, updated_by FROM products WHERE id = $1`,
        [productIds[0]],
      );
    });
    await store.close();
    const found = await cli('journal', 'verify', '--data-dir', dataDir);
    expect(found.code).toBe(1);
    expect(found.output).toContain('READ MODELS DRIFT: 3 rows');
    const healed = await cli('journal', 'verify', '--heal', '--data-dir', dataDir);
    expect(healed.output).toContain('healed 3 rows from the log');
    expect(healed.code).toBe(0);
    expect((await cli('journal', 'verify', '--data-dir', dataDir)).code).toBe(0);
  });

  it('names the altered event when the journal was tampered with', async () => {
    const store = await openDataDir(dataDir);
    const [victim] = await store.db.query<{ event_id: string }>("SELECT event_id::text AS event_id FROM events WHERE type = 'PriceChanged'");
    await store.db.write((tx) => tx.query(`UPDATE events SET payload = jsonb_set(payload, '{price}', '1') WHERE event_id = $1`, [victim!.event_id]));
    await store.close();
    const { code, output } = await cli('journal', 'verify', '--data-dir', dataDir);
    expect(code).toBe(1);
    expect(output).toContain(`CHAIN BROKEN at event ${victim!.event_id}`);
  });

  it('says the folder is in use while a node holds it', async () => {
    const holder = await openDataDir(dataDir);
    try {
      await expect(cli('journal', 'verify', '--data-dir', dataDir)).rejects.toThrow(/in use by another Mostrador \(node/);
    } finally {
      await holder.close();
    }
  });
});
