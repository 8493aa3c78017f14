import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { verifyDeviceChain } from '../journal/verify.js';
import { databaseDigest } from '../../test/support/digest.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';

/** What a caller types, through the API: refused in the caller's language and changing nothing, or stored clean. */
describe('validation through the API', () => {
  let t: TestNode;
  const es = { 'accept-language': 'es-AR,es;q=0.9' };
  const en = { 'accept-language': 'en-GB,en;q=0.8' };
  const digest = () => databaseDigest(t.node.store.db);

  beforeAll(async () => (t = await startTestNode()));
  afterAll(() => t?.stop());

  it('says what is wrong with a field in Spanish, naming the field', async () => {
    const res = await t.call('products.create', { name: '   ', price: 1.5 }, { headers: es });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Los datos no son válidos — nombre: No puede quedar vacío.');
    expect(res.body.error.issues).toEqual([
      { path: 'name', message: 'No puede quedar vacío.' },
      { path: 'price', message: 'Debe ser un número entero, sin decimales.' },
    ]);
  });

  it('and in English when the caller asks for it', async () => {
    const res = await t.call('products.create', { name: 'Gaseosa \u202e0001$', price: 100 }, { headers: en });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'The input is not valid — name: Contains characters that change the direction of the text, which would make it show something other than what it says.',
    );
    expect(res.body.error.issues).toEqual([{ path: 'name', message: expect.stringMatching(/^Contains characters that change the direction/) }]);
  });

  it('never passes English through: missing and unknown fields, wrong options, bad ids, a rule of the catalog', async () => {
    const cases: [string, unknown, string][] = [
      ['products.create', { price: 100 }, 'Falta este dato.'],
      ['products.create', { name: 'x', price: 1, color: 'rojo' }, 'Campos que no corresponden aquí: color.'],
      ['products.create', { name: 'x', price: 1, unit: 'litro' }, 'Debe ser uno de estos valores: "unit", "kg".'],
      ['products.create', { name: 'x', price: -1 }, 'No puede ser negativo.'],
      ['products.create', { name: 'x', price: 1, barcodes: ['77 90'] }, 'Un código de barras tiene de 1 a 32 letras, dígitos, guiones o puntos.'],
      ['products.get', { id: 'f'.repeat(8) }, 'No es un identificador válido (UUID).'],
      ['products.update', { id: newId(), patch: {} }, 'No hay nada que cambiar.'],
      ['products.create', { name: 'x', price: 1, barcodes: ['7790', '7790'] }, 'El mismo código de barras figura dos veces.'],
    ];
    for (const [method, input, message] of cases) {
      const res = await t.call(method, input, { headers: es });
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.body.error.issues.map((i: { message: string }) => i.message), JSON.stringify(input)).toContain(message);
    }
  });

  it('refuses a half surrogate pair in any text with a 400, and stores nothing (jsonb would have refused it: 500)', async () => {
    const before = await digest();
    const inputs = [
      { name: 'Yerba\ud800', price: 100 },
      { name: 'Yerba', price: 100, sku: '\udc00' },
      { name: 'Yerba', price: 100, category: 'Almac\udbffén' },
    ];
    for (const input of inputs) {
      const res = await t.call('products.create', input, { headers: es });
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.body.error.message).toMatch(/carácter incompleto/);
    }
    expect(await digest()).toEqual(before);
  });

  it('stores names in NFC', async () => {
    const res = await t.call('products.create', { name: ' N\u0303oquis de papa ', price: 100 });
    expect(res.status).toBe(200);
    expect(res.body.result.name).toBe('\u00d1oquis de papa');
    const found = await t.call('products.list', { search: '\u00f1oquis' });
    expect(found.body.result.items.map((p: { id: string }) => p.id)).toEqual([res.body.result.id]);
  });

  it('takes ids in capitals but keeps them lower case, so the hash chain still verifies', async () => {
    const commandId = newId().toUpperCase();
    const created = await t.call('products.create', { name: 'Arroz 1kg', price: 90000 }, { commandId });
    expect(created.status).toBe(200);
    const again = await t.call('products.create', { name: 'Arroz 1kg', price: 90000 }, { commandId: commandId.toLowerCase() });
    expect(again.body.result).toEqual(created.body.result);
    const priced = await t.call('products.changePrice', { id: created.body.result.id.toUpperCase(), price: 95000 });
    expect(priced.status).toBe(200);
    const { storeId, deviceId } = t.node.store.identity;
    expect(await verifyDeviceChain(t.node.store.db, storeId, deviceId)).toMatchObject({ ok: true });
  });

  it('refuses a command id that is not a UUID v7, in the envelope of any method', async () => {
    for (const commandId of ['not-a-uuid', '0190a0b0-0000-4000-8000-000000000000', `${newId()}x`]) {
      const query = await t.call('products.list', {}, { commandId, headers: es });
      expect(query.status).toBe(400);
      expect(query.body.error.issues).toEqual([{ path: 'commandId', message: 'Debe ser un UUID v7 generado por el cliente.' }]);
    }
  });

  it('refuses a list cursor whose id is uuid-shaped but not a uuid with a 400, not a 500', async () => {
    const before = await digest();
    for (const id of ['-'.repeat(36), `${'g'.repeat(8)}-0000-7000-8000-000000000000`, 'a'.repeat(36)]) {
      const after = Buffer.from(JSON.stringify(['yerba', id])).toString('base64url');
      const res = await t.call('products.list', { after }, { headers: es });
      expect(res.status, id).toBe(400);
      expect(res.body.error.message).toBe('No se pudo seguir la lista desde esa página; vuelva a empezar.');
    }
    expect(await digest()).toEqual(before);
  });

  it('pages past a long name made of many-byte letters (its cursor is longer than the name)', async () => {
    const long = 'ñ'.repeat(60) + '€'.repeat(60);
    for (const name of [long, `${long.slice(0, 119)}a`]) expect((await t.call('products.create', { name, price: 1 })).status).toBe(200);
    const first = await t.call('products.list', { search: 'ñññ', limit: 1 });
    expect(first.body.result.next).toEqual(expect.any(String));
    expect(first.body.result.next.length).toBeGreaterThan(200);
    const second = await t.call('products.list', { search: 'ñññ', limit: 1, after: first.body.result.next });
    expect(second.status).toBe(200);
    expect(second.body.result.items).toHaveLength(1);
  });
});
