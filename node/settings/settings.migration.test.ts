import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/canonical.js';
import { newId } from '../../shared/ids.js';
import { defaultSettings } from '../../shared/settings.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openPglite } from '../db/pglite.js';
import { migrationsDir } from '../runtime/paths.js';
import { tempDir } from '../../test/support/tmp.js';
import { querySettings } from './index.js';
import type { SettingRow } from './settings.model.js';
import { settingsProjection } from './settings.projection.js';

describe('migration 0011 over a store made before it, and the settings rows it keeps', () => {
  const tmp = tempDir('mostrador-settings-migration-');
  afterAll(() => tmp.remove());

  it('leaves the catalog as it was, starts with defaults, and reads back what the projection saves', async () => {
    const migrations = loadMigrations(migrationsDir(), 'terminal');
    const db = await openPglite(tmp.dir);
    try {
      await migrate(db, migrations.filter((m) => m.number < 11));
      const storeId = newId();
      await db.query(
        `INSERT INTO products (store_id, id, name, sku, barcodes, price, currency, tax_rate_bp, unit, track_stock, version,
           field_hlc, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, 'Yerba', null, ARRAY['7790000000017'], 100, 'ARS', 0, 'unit', true, 1, '{}', now(), 'o', now(), 'o')`,
        [storeId, newId()],
      );
      expect((await migrate(db, migrations)).applied).toContain(11);
      expect(await db.query('SELECT name FROM products')).toEqual([{ name: 'Yerba' }]);
      expect(await querySettings(db, storeId, 'CLP')).toEqual(defaultSettings('CLP'));

      const rows: SettingRow[] = [
        { key: 'scaleNomenclature', value: [{ prefix: '22', kind: 'price', itemCodeLength: 4, decimals: 2, priceCheckDigit: true }], hlc: '0000000001:0000:a', updatedAt: '2026-11-29T10:00:00.123Z', updatedBy: 'owner-1' },
        { key: 'storeName', value: 'Almacén “Ñandú”', hlc: '0000000002:0000:a', updatedAt: '2026-11-29T10:00:01.000Z', updatedBy: 'owner-1' },
      ];
      await db.write(async (tx) => settingsProjection.save(tx, storeId, rows));
      const loaded = await settingsProjection.loadAll(db, storeId);
      for (const row of rows) expect(canonicalJson(loaded.get(row.key))).toBe(canonicalJson(row));
      const settings = await querySettings(db, storeId, 'ARS');
      expect(settings.storeName).toBe('Almacén “Ñandú”');
      expect(settings.scaleNomenclature[0]?.prefix).toBe('22');
    } finally {
      await db.close();
    }
  });
});
