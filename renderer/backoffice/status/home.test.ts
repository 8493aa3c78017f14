import { describe, expect, it } from 'vitest';
import type { NodeStatus } from '../../../shared/contract/index.js';
import { translator } from '../../i18n/translate.js';
import { status } from '../../test/fixtures.js';
import { homeOf, type Home, type HomeLine } from './home.js';

const MB = 1024 * 1024;
const now = new Date(2025, 0, 1, 18, 0).getTime();
const es = translator('es');
const at = (h: number, m = 0) => new Date(2025, 0, 1, h, m).toISOString();
const base: NodeStatus = { ...status, startedAt: at(9), journal: { events: 3, lastEventAt: at(10, 5), verification: null } };
const text = (s: NodeStatus, t = es) => {
  const home = homeOf(s, t, t === es ? 'es-AR' : 'en-US', now);
  const lines = Object.fromEntries(home.lines.map((l) => [l.id, l.text])) as Record<HomeLine['id'], string>;
  return { verdict: home.verdict as Home['verdict'], ...lines };
};

describe('the owner’s home screen in words', () => {
  it('says all is well, with no identifiers', () => {
    const home = text(base);
    expect(home.verdict).toEqual({ tone: 'ok', text: 'Todo bien: Mostrador está funcionando y tus datos están guardados.' });
    expect(home).toMatchObject({
      running: 'Funcionando desde hoy a las 09:00.',
      data: 'Todas las ventas quedan guardadas en este equipo: 3 operaciones registradas, la última hoy a las 10:05.',
      backup: 'Todavía no se hizo ninguna copia del registro de ventas (se hace una por día).',
      disk: 'Espacio en disco: quedan 2 GB libres.',
      version: 'Versión 0.1.0.',
    });
    expect(JSON.stringify(home)).not.toContain(base.deviceId);
  });

  it('names the last verification and the last export when there are some', () => {
    const home = text({
      ...base,
      journal: { ...base.journal, verification: { at: at(11), ok: true, checked: 3 } },
      lastExport: { at: new Date(2024, 11, 31, 23, 0).toISOString(), file: 'journal-2024-12-31.sqlite', bytes: 3 * MB },
    }, translator('en'));
    expect(home.data).toBe('Data checked today at 11:00 AM: all 3 operations of this device are complete and unchanged.');
    expect(home.backup).toBe('Last copy of the sales record: yesterday at 11:00 PM (3 MB).');
  });

  it('warns when the disk fills and turns the verdict when it is full or the chain broke', () => {
    const low = text({ ...base, disk: { freeBytes: 300 * MB, reserveBytes: 64 * MB, state: 'low' } });
    expect(low.verdict.tone).toBe('warn');
    expect(low.disk).toBe('Queda poco espacio en el disco: 300 MB libres. Liberá espacio pronto; con menos de 64 MB Mostrador deja de guardar ventas.');
    const full = text({ ...base, disk: { freeBytes: 20 * MB, reserveBytes: 96 * MB, state: 'full' } });
    expect(full.verdict).toEqual({ tone: 'bad', text: 'Mostrador no puede guardar ventas: el disco está lleno.' });
    const broken = text({ ...base, journal: { ...base.journal, verification: { at: at(11), ok: false, checked: 2 } } });
    expect(broken.verdict.tone).toBe('bad');
    expect(broken.data).toMatch(/^La revisión de hoy a las 11:00 encontró un problema/);
    const empty = text({ ...base, journal: { events: 0, lastEventAt: null, verification: { at: at(11), ok: true, checked: 0 } } });
    expect(empty.data).toBe('Datos revisados hoy a las 11:00: todo en orden; todavía no hay operaciones registradas.');
  });
});
