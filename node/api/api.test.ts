import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { request, startTestNode, type TestNode } from '../../test/support/node.js';

describe('the local API', () => {
  let t: TestNode;
  let url: string;
  beforeAll(async () => {
    t = await startTestNode();
    url = t.node.api.url;
  });
  afterAll(() => t.stop());

  const json = { 'content-type': 'application/json' };

  it('listens on loopback only', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(t.node.api.app.server.address()).toMatchObject({ address: '127.0.0.1' });
  });

  it('refuses calls without the secret or a session', async () => {
    const res = await request(`${url}/api/system.status`, { method: 'POST', headers: json, body: '{"input":{}}' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('Unauthorized');
    const wrong = await t.call('system.status', {}, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin (cross-site)', async () => {
    const host = await t.call('system.status', {}, { headers: { host: 'evil.example' } });
    expect(host.status).toBe(403);
    const origin = await t.call('system.status', {}, { headers: { origin: 'http://evil.example' } });
    expect(origin.status).toBe(403);
    const own = await t.call('system.status', {}, { headers: { origin: url } });
    expect(own.status).toBe(200);
  });

  it('answers the status with a request id', async () => {
    const res = await t.call('system.status', {}, { headers: { 'x-request-id': 'req-12345678' } });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('req-12345678');
    expect(res.body.result).toMatchObject({ role: 'terminal', dataDir: t.dataDir, version: expect.any(String) });
    expect(res.body.result.databaseBytes).toBeGreaterThan(0);
  });

  it('changes nothing through GET, and says to use POST', async () => {
    const before = (await t.call('products.list', {})).body.result.items.length;
    const res = await request(`${url}/api/products.create?input=${encodeURIComponent('{"name":"x","price":1}')}`, {
      headers: { authorization: `Bearer ${t.node.auth.secret}` },
    });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect((await t.call('products.list', {})).body.result.items.length).toBe(before);
  });

  it('requires JSON and refuses malformed bodies with 4xx', async () => {
    const auth = { authorization: `Bearer ${t.node.auth.secret}` };
    const text = await request(`${url}/api/system.status`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: 'hi' });
    expect(text.status).toBe(415);
    const broken = await request(`${url}/api/system.status`, { method: 'POST', headers: { ...auth, ...json }, body: '{"input":' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/not valid JSON/);
    const big = await request(`${url}/api/system.status`, { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify({ input: { x: 'a'.repeat(2_000_000) } }) });
    expect(big.status).toBe(413);
    const unknown = await t.call('products.nope', {});
    expect(unknown.status).toBe(404);
  });

  it('creates, finds, updates and re-prices a product', async () => {
    const created = await t.call('products.create', { name: 'Yerba Mate 1kg', price: 450000, barcodes: ['7790387000011'] });
    expect(created.status).toBe(200);
    const product = created.body.result;
    expect(product).toMatchObject({ name: 'Yerba Mate 1kg', price: 450000, currency: 'ARS', version: 1, unit: 'unit' });
    const found = await t.call('products.findByBarcode', { barcode: '7790387000011' });
    expect(found.body.result).toMatchObject({ product: { id: product.id }, others: [] });
    const updated = await t.call('products.update', { id: product.id, patch: { name: 'Yerba Mate Playadito 1kg' } });
    expect(updated.body.result).toMatchObject({ name: 'Yerba Mate Playadito 1kg', version: 2 });
    const priced = await t.call('products.changePrice', { id: product.id, price: 475000, reason: 'proveedor' });
    expect(priced.body.result).toMatchObject({ price: 475000, version: 3 });
    const missing = await t.call('products.changePrice', { id: newId(), price: 1 });
    expect(missing.status).toBe(404);
  });

  it('refuses a barcode that another product already uses', async () => {
    await t.call('products.create', { name: 'Leche 1L', price: 120000, barcodes: ['7790001000012'] });
    const dup = await t.call('products.create', { name: 'Otra leche', price: 1, barcodes: ['7790001000012'] });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toMatch(/already belongs to “Leche 1L”/);
  });

  it('returns the first result for a replayed command id, and 409 for the same id with other input', async () => {
    const commandId = newId();
    const first = await t.call('products.create', { name: 'Azúcar 1kg', price: 99000 }, { commandId });
    const again = await t.call('products.create', { name: 'Azúcar 1kg', price: 99000 }, { commandId });
    expect(again.status).toBe(200);
    expect(again.body.result).toEqual(first.body.result);
    const other = await t.call('products.create', { name: 'Sal 500g', price: 50000 }, { commandId });
    expect(other.status).toBe(409);
    const list = await t.call('products.list', { search: 'azúcar' });
    expect(list.body.result.items).toHaveLength(1);
  });

  it('requires a UUID v7 command id for commands', async () => {
    const none = await request(`${url}/api/products.create`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${t.node.auth.secret}` },
      body: JSON.stringify({ input: { name: 'x', price: 1 } }),
    });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/commandId/);
  });
});

describe('error messages a person reads', () => {
  let t: TestNode;
  beforeAll(async () => (t = await startTestNode()));
  afterAll(() => t.stop());

  it('come in the language the caller asks for, Spanish first', async () => {
    await t.call('products.create', { name: 'Harina 1kg', price: 80000, barcodes: ['7790000000001'] });
    const dup = { name: 'Otra harina', price: 1, barcodes: ['7790000000001'] };
    const es = await t.call('products.create', dup, { headers: { 'accept-language': 'es-AR,es;q=0.9,en;q=0.5' } });
    expect(es.status).toBe(409);
    expect(es.body.error.message).toBe('El código de barras 7790000000001 ya es de “Harina 1kg”. Quítelo de ese producto primero o use otro.');
    const en = await t.call('products.create', dup, { headers: { 'accept-language': 'en-US' } });
    expect(en.body.error.message).toBe('Barcode 7790000000001 already belongs to “Harina 1kg”. Remove it there first or use another.');
    const missing = await t.call('products.get', { id: newId() }, { headers: { 'accept-language': 'es' } });
    expect(missing.body.error.message).toBe('Ese producto no existe (puede que lo hayan quitado).');
  });
});
