/**
 * The whole bridge between the sandboxed renderer and Electron: one frozen object with one function. CommonJS
 * because sandboxed preloads cannot be ES modules; `import = require` because verbatimModuleSyntax keeps it as a
 * plain require of 'electron', the only module a sandboxed preload may load.
 */
import electron = require('electron');
import type { Bootstrap } from '../shared/contract/push.js';

// Same literal as BOOTSTRAP_CHANNEL in bootstrap.ts; preload.test.ts checks they match.
const BOOTSTRAP_CHANNEL = 'mostrador:bootstrap';

const mostrador = Object.freeze({
  bootstrap: (): Promise<Bootstrap> => electron.ipcRenderer.invoke(BOOTSTRAP_CHANNEL) as Promise<Bootstrap>,
});

electron.contextBridge.exposeInMainWorld('mostrador', mostrador);
