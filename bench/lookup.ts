/**
 * bench:lookup — what a cashier waits for: a barcode lookup and a catalog search over 100k products (small: 10k)
 * with names shaped like a shop's (kind, brand, size), on a terminal data folder.
 *
 * Measured, interleaved and alternating who goes first:
 *  - in-process: `products.findByBarcode` and `products.list` through the node's handlers (input parsed by the
 *    contract, as the API does), on the running node's database;
 *  - bare: the very same SQL (BARCODE_SQL, listStatement) straight on the same PGlite instance: the baseline, so
 *    ratio_*_p99 = handler p99 / bare p99 is what the node adds over the engine;
 *  - http: `products.findByBarcode` through the local API (loopback, keep-alive, launch secret).
 * The searches cycle through a fixed mix: a brand (1 product in 40), a kind and a brand (1 in 1,600), a SKU
 * fragment, three letters, a name fragment without accents or ñ, three words, and a word nothing matches.
 */
import http from 'node:http';
import os from 'node:os';
import { contract } from '../shared/contract/index.js';
import { startNode } from '../node/app.js';
import { BARCODE_SQL, listStatement } from '../node/catalog/products.queries.js';
import type { PgliteDb } from '../node/db/pglite.js';
import { openDataDir } from '../node/runtime/open.js';
import { tempDir } from '../test/support/tmp.js';
import { queryCall } from '../test/support/calls.js';
import { baseMs, bulkProducts, fmt, lastLine, log, percentile, prng, settle, size, SMALL, timed } from './support.js';

const PRODUCTS = size(100_000, 10_000);
const N = size(2_000, 300);
const WARMUP = size(100, 30);
const PAGE = 100; // the renderer's page

const KINDS = ['Leche', 'Yogur', 'Queso cremoso', 'Galletitas', 'Fideos', 'Arroz', 'Aceite', 'Azúcar', 'Yerba', 'Café',
  'Té', 'Gaseosa', 'Agua', 'Cerveza', 'Vino tinto', 'Jabón', 'Shampoo', 'Detergente', 'Papel higiénico', 'Ñoquis',
  'Harina', 'Polenta', 'Dulce de leche', 'Mermelada', 'Atún', 'Arvejas', 'Tomate triturado', 'Mayonesa', 'Salchichas',
  'Jamón cocido', 'Pan lactal', 'Manteca', 'Crema', 'Huevos', 'Chocolate', 'Alfajor', 'Caramelos', 'Lavandina',
  'Esponja', 'Pañales'];
const BRANDS = ['La Serenísima', 'Sancor', 'Arcor', 'Bagley', 'Marolio', 'Molinos', 'Lucchetti', 'Knorr', 'Quilmes',
  'Taragüí', 'Playadito', 'Cañuelas', 'Natura', 'Ledesma', 'Dove', 'Ala', 'Elegante', 'Paladini', 'Tregar', 'Matarazzo',
  'Gallo', 'Cocinero', 'Hellmann’s', 'Terrabusi', 'Milka', 'Felfort', 'Georgalos', 'Vauquita', 'Ayudín', 'Magistral',
  'Higienol', 'Pampers', 'Nestlé', 'Danone', 'Mastellone', 'Fargo', 'Bimbo', 'Granja del Sol', 'Swift', 'Águila'];
const sqlArray = (items: string[]) => `ARRAY[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')}]`;
// 40 kinds × 40 brands × 20 sizes: a brand is 1 product in 40, a kind and a brand 1 in 1,600.
const NAME_SQL = `(${sqlArray(KINDS)})[1 + i % 40] || ' ' || (${sqlArray(BRANDS)})[1 + (i / 40) % 40] || ' ' ||
  (50 * (1 + (i / 1600) % 20))::text || 'g'`;
const SEARCHES = ['serenisima', 'leche seren', 'SKU-4242', 'caf', 'noquis canu', 'yerba taragui 500g', 'zzqx'];

/** POST /api/<method> on a keep-alive connection; resolves with the status once the body has been read. */
function poster(url: string, secret: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return (method: string, input: unknown) =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ input });
      const req = http.request(`${url}/api/${method}`, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}`, 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
}

async function fill(dataDir: string): Promise<void> {
  const store = await openDataDir(dataDir);
  try {
    const { storeId, deviceId, currency } = store.identity;
    const [ms] = await timed(async () => {
      await bulkProducts(store.db, storeId, deviceId, currency, 1, PRODUCTS, baseMs(PRODUCTS), NAME_SQL);
      await settle(store.db);
    });
    log(`${PRODUCTS} products in ${fmt(ms / 1000, 1)} s, ${fmt((await store.db.sizeBytes()) / 2 ** 20, 0)} MB`);
  } finally {
    await store.close();
  }
}

async function main() {
  log(`bench:lookup ${SMALL ? 'small' : 'full'}: ${N} lookups and searches per side after ${WARMUP} warm-up, over ${PRODUCTS} products`);
  const folder = tempDir('mostrador-bench-lookup-');
  try {
    await fill(folder.dir);
    const node = await startNode({ dataDir: folder.dir });
    try {
      const { db, identity } = node.store;
      const pg = (db as PgliteDb).pg;
      const { handlers } = node;
      const callCtx = () => queryCall(node.own);
      const post = poster(node.api.url, node.auth.secret);
      const rand = prng(7);
      const barcodes = Array.from({ length: WARMUP + N }, () => String(7790000000000 + 1 + Math.floor(rand() * PRODUCTS)));
      const search = (i: number) => ({ search: SEARCHES[i % SEARCHES.length]!, limit: PAGE });

      const steps: Record<string, (i: number) => Promise<unknown>> = {
        lookup: async (i: number) => {
          const found = await handlers['products.findByBarcode'](contract['products.findByBarcode'].input.parse({ barcode: barcodes[i] }), callCtx());
          if (found.product.barcodes[0] !== barcodes[i]) throw new Error(`lookup of ${barcodes[i]} found ${found.product.barcodes[0]}`);
        },
        bare_lookup: async (i: number) => {
          const { rows } = await pg.query(BARCODE_SQL, [identity.storeId, barcodes[i]]);
          if (rows.length !== 1) throw new Error(`bare lookup of ${barcodes[i]} found ${rows.length} rows`);
        },
        http_lookup: async (i: number) => {
          const status = await post('products.findByBarcode', { barcode: barcodes[i] });
          if (status !== 200) throw new Error(`http lookup answered ${status}`);
        },
        search: (i: number) => handlers['products.list'](contract['products.list'].input.parse(search(i)), callCtx()),
        bare_search: (i: number) => {
          const { sql, params } = listStatement(identity.storeId, search(i));
          return pg.query(sql, params);
        },
      };
      const names = Object.keys(steps);
      for (let i = 0; i < WARMUP; i++) for (const name of names) await steps[name]!(i);

      const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<string, number[]>;
      // This process's CPU time per call as well: on a shared machine the wall clock also counts other processes' turns.
      const cpu = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<string, number[]>;
      const bySearch = new Map<string, number[]>(SEARCHES.map((s) => [s, []]));
      // Interleaved, rotating who goes first, so machine noise lands on every side alike.
      for (let i = 0; i < N; i++) {
        for (let k = 0; k < names.length; k++) {
          const name = names[(i + k) % names.length]!;
          const cpuBefore = process.cpuUsage();
          const [ms] = await timed(() => steps[name]!(WARMUP + i));
          const used = process.cpuUsage(cpuBefore);
          samples[name]!.push(ms);
          cpu[name]!.push((used.user + used.system) / 1000);
          if (name === 'search') bySearch.get(search(WARMUP + i).search)!.push(ms);
        }
      }

      for (const [q, ms] of bySearch) {
        const { items } = await handlers['products.list'](contract['products.list'].input.parse({ search: q, limit: PAGE }), callCtx());
        log(`search "${q}": p50 ${fmt(percentile(ms, 50))} ms  p99 ${fmt(percentile(ms, 99))} ms  (${items.length} on the first page)`);
      }
      const p = (name: string, q: number) => percentile(samples[name]!, q);
      for (const name of names) {
        log(`${name}: p50 ${fmt(p(name, 50))} ms  p99 ${fmt(p(name, 99))} ms  max ${fmt(Math.max(...samples[name]!))} ms` +
          `  (CPU: p50 ${fmt(percentile(cpu[name]!, 50))} ms  p99 ${fmt(percentile(cpu[name]!, 99))} ms)`);
      }
      log(`load average ${os.loadavg().map((l) => fmt(l, 1)).join(' ')} on ${os.cpus().length} CPUs`);
      lastLine({
        lookup_p99_ms: fmt(p('lookup', 99)),
        search_p99_ms: fmt(p('search', 99)),
        bare_lookup_p99_ms: fmt(p('bare_lookup', 99)),
        bare_search_p99_ms: fmt(p('bare_search', 99)),
        http_lookup_p99_ms: fmt(p('http_lookup', 99)),
        ratio_lookup_p99: fmt(p('lookup', 99) / p('bare_lookup', 99)),
        ratio_search_p99: fmt(p('search', 99) / p('bare_search', 99)),
        lookup_p50_ms: fmt(p('lookup', 50)),
        search_p50_ms: fmt(p('search', 50)),
      });
    } finally {
      await node.close();
    }
  } finally {
    folder.remove();
  }
}

await main();
