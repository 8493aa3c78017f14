import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type Product } from '../../shared/contract/index.js';
import type { EventDraft } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openPostgres } from '../db/postgres.js';
import type { Db } from '../db/types.js';
import { wireDomains } from '../dispatch.js';
import type { Handlers } from '../handlers.js';
import { emptyHead, sealEvents } from '../journal/chain.js';
import { applyRemoteEvents } from '../journal/remote.js';
import { route } from '../domains.js';
import { ensureIdentity, type Identity } from '../runtime/identity.js';
import { openPglite } from '../db/pglite.js';
import { openDataDir } from '../runtime/open.js';
import { migrationsDir } from '../runtime/paths.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { tempDir } from '../../test/support/tmp.js';
import { commandCall } from '../../test/support/calls.js';
import { findByBarcode, isFullBarcode } from './products.queries.js';


/** Shuffled on purpose: the order must come from the sort key, not from insertion. */
const CATALOG = [
  { name: 'Producto 10', sku: 'P-10' },
  { name: 'Ñoquis de papa 500g', sku: 'NOQ-1' },
  { name: 'oca', sku: null },
  { name: 'Leche La Serenísima 1L', sku: 'LS-001', barcodes: ['7790742000013'] },
  { name: 'Nuez mariposa', sku: null },
  { name: 'Producto 2', sku: 'P-2' },
  { name: 'ábaco de madera', sku: null },
  { name: 'Azúcar 1kg', sku: 'AZ 1' },
  { name: 'Descuento 10% jubilados', sku: null },
  { name: 'agua mineral', sku: 'ABC-123', barcodes: ['INT-7'] },
  { name: 'Ñandú de peluche', sku: null },
  { name: 'nabo', sku: null },
];
const SPANISH_ORDER = [
  'ábaco de madera', 'agua mineral', 'Azúcar 1kg', 'Descuento 10% jubilados', 'Leche La Serenísima 1L', 'nabo',
  'Nuez mariposa', 'Ñandú de peluche', 'Ñoquis de papa 500g', 'oca', 'Producto 2', 'Producto 10',
];

interface Engine {
  db: Db;
  identity: Identity;
  close(): Promise<void>;
}

async function onPglite(): Promise<Engine> {
  const tmp = tempDir('mostrador-search-');
  const store = await openDataDir(tmp.dir);
  return { db: store.db, identity: store.identity, close: async () => (await store.close(), tmp.remove()) };
}

async function onPostgres(): Promise<Engine> {
  const server = await createTestDatabase();
  const db = openPostgres(server.url, { max: 2 });
  await migrate(db, loadMigrations(migrationsDir(), 'central'));
  const identity = await ensureIdentity(db, 'central', 'ARS');
  return { db, identity, close: async () => (await db.close(), await server.drop()) };
}

describe.each([
  ['PGlite', onPglite],
  ['PostgreSQL', onPostgres],
] as const)('product search on %s', (_engine, open) => {
  let engine: Engine;
  let handlers: Handlers;
  let ctx: () => ReturnType<typeof commandCall>;
  const list = async (input: object) => handlers['products.list'](contract['products.list'].input.parse(input), ctx());
  const names = async (search: string) => (await list({ search })).items.map((p) => p.name);

  const created: Product[] = [];

  beforeAll(async () => {
    engine = await open();
    const wired = wireDomains(engine, { status: () => Promise.reject(new Error('not used')) });
    handlers = wired.handlers;
    ctx = () => commandCall(wired.own);
    for (const p of CATALOG) {
      const input = contract['products.create'].input.parse({ price: 1000, ...p });
      created.push(await handlers['products.create'](input, ctx()));
    }
  });
  afterAll(() => engine.close());

  it('is blind to accents, case and ñ, in the name and in the SKU', async () => {
    expect(await names('serenisima')).toEqual(['Leche La Serenísima 1L']);
    expect(await names('SERENÍSIMA')).toEqual(['Leche La Serenísima 1L']);
    expect(await names('noquis')).toEqual(['Ñoquis de papa 500g']);
    expect(await names('ÑOQUIS')).toEqual(['Ñoquis de papa 500g']);
    expect(await names('azucar')).toEqual(['Azúcar 1kg']);
    expect(await names('abc-12')).toEqual(['agua mineral']);
    expect(await names('zz-no-such-thing')).toEqual([]);
  });

  it('wants every word, in any order and anywhere in the name', async () => {
    expect(await names('seren leche')).toEqual(['Leche La Serenísima 1L']);
    expect(await names('leche  ñoquis')).toEqual([]);
    expect(await names('de')).toEqual(['ábaco de madera', 'Descuento 10% jubilados', 'Ñandú de peluche', 'Ñoquis de papa 500g']);
  });

  it('takes % and _ as the characters they are, not as wildcards', async () => {
    expect(await names('10%')).toEqual(['Descuento 10% jubilados']);
    expect(await names('_')).toEqual([]);
  });

  it('sends a full barcode to the barcode lookup, and still finds any barcode typed whole', async () => {
    expect(isFullBarcode('7790742000013')).toBe(true);
    expect(isFullBarcode('779074200001')).toBe(true);
    expect(isFullBarcode('77907420')).toBe(true);
    expect(isFullBarcode('7790742')).toBe(false);
    expect(isFullBarcode('779074200001x')).toBe(false);
    expect(await names('7790742000013')).toEqual(['Leche La Serenísima 1L']);
    expect(await names('INT-7')).toEqual(['agua mineral']);
    expect(await names('7790742000099')).toEqual([]);
  });

  it('lists in the order Spanish speakers expect, page after page, each product as the command answered it', async () => {
    const all = (await list({})).items;
    expect(all.map((p) => p.name)).toEqual(SPANISH_ORDER);
    expect([...all].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...created].sort((a, b) => a.id.localeCompare(b.id)));
    expect(await handlers['products.get']({ id: created[0]!.id }, ctx())).toEqual(created[0]);
    const paged: string[] = [];
    let after: string | undefined;
    do {
      const page = await list({ limit: 5, ...(after ? { after } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(5);
      paged.push(...page.items.map((p) => p.name));
      after = page.next ?? undefined;
    } while (after);
    expect(paged).toEqual(SPANISH_ORDER);
    const producto = await list({ search: 'producto', limit: 1 });
    expect(producto.items.map((p) => p.name)).toEqual(['Producto 2']);
    const rest = await list({ search: 'producto', limit: 1, after: producto.next! });
    expect(rest).toMatchObject({ items: [{ name: 'Producto 10' }], next: null });
  });

  it('finds both products when two terminals gave one barcode to each, and says so', async () => {
    const barcode = '7791234000017';
    const mine = await handlers['products.create'](contract['products.create'].input.parse({ name: 'Yerba 1kg', price: 1, barcodes: [barcode] }), ctx());
    // Another terminal, offline at the time, gave the same barcode to its own product; its event arrives later.
    const device = newId();
    const draft: EventDraft = {
      type: 'ProductCreated',
      payload: { productId: newId(), name: 'Yerba suave 1kg', sku: null, barcodes: [barcode], price: 2, currency: 'ARS', cost: null, taxRateBp: 0, category: null, unit: 'unit', trackStock: true, minStock: null },
    };
    const sealed = sealEvents(emptyHead(device), [draft], { storeId: engine.identity.storeId, deviceId: device, commandId: newId(), actorId: 'cajero', now: new Date(Date.now() + 1000), newId });
    expect(await applyRemoteEvents(engine.db, { storeId: engine.identity.storeId, deviceId: engine.identity.deviceId, mode: 'remote' }, sealed.events, route)).toMatchObject({ applied: 1, refused: [] });

    const found = await handlers['products.findByBarcode']({ barcode }, ctx());
    expect(found.product.id).toBe(mine.id);
    expect(found.others.map((p) => p.name)).toEqual(['Yerba suave 1kg']);
    expect(await names(barcode)).toEqual(['Yerba 1kg', 'Yerba suave 1kg']);
    await expect(handlers['products.findByBarcode']({ barcode: '7790000000000' }, ctx())).rejects.toMatchObject({ code: 'NotFound' });
  });
});

describe('migration 0005 over a catalog made before it', () => {
  const tmp = tempDir('mostrador-search-migration-');
  afterAll(() => tmp.remove());

  it('folds and keys the products already there, and finds them', async () => {
    const migrations = loadMigrations(migrationsDir(), 'terminal');
    const db = await openPglite(tmp.dir);
    try {
      await migrate(db, migrations.filter((m) => m.number < 5));
      const storeId = newId();
      await db.query(
        `INSERT INTO products (store_id, id, name, sku, barcodes, price, currency, tax_rate_bp, unit, track_stock, version,
           field_hlc, created_at, created_by, updated_at, updated_by)
         SELECT $1, ($2::uuid[])[n], name, null, ARRAY[code], 100, 'ARS', 0, 'unit', true, 1, '{}', now(), 'o', now(), 'o'
         FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS t(name, code, n)`,
        [storeId, [newId(), newId()], ['Ñoquis Cañuelas', 'Nuez pelada'], ['7790000000017', '7790000000024']],
      );
      expect((await migrate(db, migrations)).applied).toContain(5);
      const rows = await db.query<{ name: string; search_text: string }>('SELECT name, search_text FROM products ORDER BY sort_key');
      expect(rows).toEqual([
        { name: 'Nuez pelada', search_text: 'nuez pelada\n' },
        { name: 'Ñoquis Cañuelas', search_text: 'noquis canuelas\n' },
      ]);
      const found = await findByBarcode(db, storeId, '7790000000017');
      expect(found).toMatchObject({ product: { name: 'Ñoquis Cañuelas' }, others: [] });
    } finally {
      await db.close();
    }
  });
});
