import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake } from './testing/fake-electron.js';
import { createMainWindow, HARDENED_WEB_PREFERENCES } from './window.js';

vi.mock('electron', () => import('./testing/fake-electron.js').then((m) => m.fake));

const apiUrl = 'http://127.0.0.1:4318';
const preloadPath = '/app/dist/electron/preload.cjs';

describe('createMainWindow', () => {
  beforeEach(() => fake.reset());

  it('creates every window with exactly the hardened webPreferences', () => {
    createMainWindow({ apiUrl, preloadPath });
    createMainWindow({ apiUrl, preloadPath });
    expect(fake.BrowserWindow.instances).toHaveLength(2);
    for (const window of fake.BrowserWindow.instances) {
      const prefs = window.options.webPreferences as Record<string, unknown>;
      expect(prefs.contextIsolation).toBe(true);
      expect(prefs.sandbox).toBe(true);
      expect(prefs.nodeIntegration).toBe(false);
      expect(prefs.nodeIntegrationInWorker).toBe(false);
      expect(prefs.nodeIntegrationInSubFrames).toBe(false);
      expect(prefs.webSecurity).toBe(true);
      expect(prefs.allowRunningInsecureContent).toBe(false);
      expect(prefs.webviewTag).toBe(false);
      expect(prefs.spellcheck).toBe(false);
      expect(prefs.preload).toBe(preloadPath);
      // Nothing else may sneak in (enableRemoteModule, experimentalFeatures, a nodeIntegration-like switch…).
      expect(Object.keys(prefs).sort()).toEqual(
        [
          'allowRunningInsecureContent',
          'contextIsolation',
          'nodeIntegration',
          'nodeIntegrationInSubFrames',
          'nodeIntegrationInWorker',
          'preload',
          'sandbox',
          'spellcheck',
          'webSecurity',
          'webviewTag',
        ].sort(),
      );
      for (const [key, value] of Object.entries(prefs)) {
        if (/node|insecure|webview|experimental|remote/i.test(key)) expect(value, key).toBe(false);
      }
    }
  });

  it('cannot have its hardened preferences changed at runtime', () => {
    expect(Object.isFrozen(HARDENED_WEB_PREFERENCES)).toBe(true);
  });

  it('loads the node root, titled Mostrador, and shows only once painted', () => {
    const window = createMainWindow({ apiUrl, preloadPath }) as unknown as InstanceType<typeof fake.BrowserWindow>;
    expect(window.options.title).toBe('Mostrador');
    expect(window.options.show).toBe(false);
    expect(window.loadedUrls).toEqual(['http://127.0.0.1:4318/']);
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });
});
