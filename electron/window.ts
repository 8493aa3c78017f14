import { BrowserWindow, type WebPreferences } from 'electron';
import { createLogger } from './log.js';

const log = createLogger('electron.window');

/**
 * Exactly what the renderer gets. Every key is spelled out, even the defaults, so an Electron upgrade that flips
 * a default cannot loosen us, and the tests can assert the whole object.
 */
export const HARDENED_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} satisfies WebPreferences);

export interface MainWindowOptions {
  apiUrl: string;
  /** Absolute path to the compiled preload (dist/electron/preload.cjs). */
  preloadPath: string;
}

export function createMainWindow({ apiUrl, preloadPath }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Mostrador',
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    // Shown once painted: a cashier should never see a white flash or a half-drawn till.
    show: false,
    webPreferences: { ...HARDENED_WEB_PREFERENCES, preload: preloadPath },
  });
  window.once('ready-to-show', () => window.show());
  const url = new URL('/', apiUrl).toString();
  window.loadURL(url).catch((error: unknown) => log.error('could not load the till', { url, error }));
  return window;
}
